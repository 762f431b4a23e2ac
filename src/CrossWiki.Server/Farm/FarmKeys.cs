using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;

namespace CrossWiki.Server.Farm;

/// <summary>
/// Finds the keys of the <c>Farm</c> configuration section that no option has, and values that do not convert to
/// their option's type. The configuration binder skips both silently, so a misspelled <c>CrossSiteAJAXdomainExeptions</c> would leave a wiki without its exceptions;
/// here it is an error with its key path, like every other farm error. The known keys are the option types'
/// public properties, so a property added to <see cref="FarmOptions"/> or <see cref="WikiOptions"/> is known
/// without a list to keep in step. Keys from the farm file, environment variables (<c>Farm__Wikis__x__Server</c>)
/// and the command line are walked alike; list items are numbered and dictionary keys (wiki ids) are free.
/// </summary>
internal static class FarmKeys
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> Properties = new();

    /// <summary>Every unknown key and every value that does not convert, each with its key path.</summary>
    /// <param name="farm">The <c>Farm</c> section.</param>
    /// <param name="bindable">False when a value does not convert or has keys under it: binding would then drop part of the farm.</param>
    public static IReadOnlyList<string> Check(IConfigurationSection farm, out bool bindable)
    {
        var errors = new List<string>();
        var unconvertible = new List<string>();
        Walk(farm, typeof(FarmOptions), errors, unconvertible);
        bindable = unconvertible.Count == 0;
        return [.. errors.Concat(unconvertible).Order(StringComparer.Ordinal)];
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> errors, List<string> unconvertible)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsValue(type))
        {
            // The binder also drops, without a word, a whole wiki whose value it cannot convert.
            if (section.Value is { Length: > 0 } text && type != typeof(string) && !Converts(type, text))
            {
                unconvertible.Add($"{section.Path}: '{text}' is not {Kind(type)}.");
            }

            foreach (var child in section.GetChildren())
            {
                unconvertible.Add($"{child.Path}: unknown key; {section.Key} takes a single value.");
            }
        }
        else if (ElementType(type) is { } element)
        {
            foreach (var child in section.GetChildren())
            {
                if (int.TryParse(child.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    Walk(child, element, errors, unconvertible);
                }
                else
                {
                    errors.Add($"{child.Path}: unknown key; the items of {section.Key} are numbered 0, 1, 2, ...");
                }
            }
        }
        else if (DictionaryValueType(type) is { } value)
        {
            foreach (var child in section.GetChildren())
            {
                Walk(child, value, errors, unconvertible);
            }
        }
        else
        {
            var properties = Properties.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
            foreach (var child in section.GetChildren())
            {
                if (properties.TryGetValue(child.Key, out var property))
                {
                    Walk(child, property.PropertyType, errors, unconvertible);
                }
                else
                {
                    errors.Add($"{child.Path}: unknown key; {Suggestion(child.Key, properties.Values.Select(p => p.Name))}");
                }
            }
        }
    }

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid);

    private static bool Converts(Type type, string text)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static string Kind(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
        : "a " + type.Name;

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(List<>) || d == typeof(IList<>) || d == typeof(IReadOnlyList<>) || d == typeof(IEnumerable<>) || d == typeof(ICollection<>) || d == typeof(IReadOnlyCollection<>))
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary is not null && typeof(IEnumerable).IsAssignableFrom(type) ? dictionary.GetGenericArguments()[1] : null;
    }

    /// <summary>"did you mean" the closest known name when it is a typo away, else the names that are known here.</summary>
    private static string Suggestion(string key, IEnumerable<string> known)
    {
        var names = known.Order(StringComparer.Ordinal).ToList();
        var closest = names.Select(n => (Name: n, Distance: Distance(key.ToLowerInvariant(), n.ToLowerInvariant()))).MinBy(c => c.Distance);
        if (closest.Name is not null && (closest.Distance <= 2 || closest.Distance <= closest.Name.Length / 4))
        {
            return $"did you mean '{closest.Name}'?";
        }

        return names.Count == 0 ? "no keys are known here." : "the keys known here are " + string.Join(", ", names) + ".";
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
