using System.Text.RegularExpressions;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Sections of wikitext as MediaWiki numbers them: 0 is the text before the first heading; section N
/// runs from the N-th heading to the next heading of the same or a higher level.
/// </summary>
internal static partial class Sections
{
    private static List<(int Start, int Level, string Line)> Headings(string text)
    {
        var list = new List<(int, int, string)>();
        foreach (Match m in HeadingRegex().Matches(text))
        {
            var open = m.Groups[1].Value.Length;
            var close = m.Groups[3].Value.Length;
            list.Add((m.Index, Math.Min(open, close), m.Value));
        }

        return list;
    }

    /// <summary>
    /// The sections after section 0 as Parser::getFlatSectionInfo lists them: each heading's level, its line as
    /// written (<c>== Name ==</c>) and its byte offset in the text.
    /// </summary>
    public static IEnumerable<(int Level, string Heading, int Offset)> Flat(string text)
    {
        // Bytes are counted from one heading to the next, so a long page with many headings is read once.
        var (chars, bytes) = (0, 0);
        foreach (var (start, level, line) in Headings(text))
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(chars, start - chars));
            chars = start;
            yield return (level, line, bytes);
        }
    }

    /// <summary>The extent of section <paramref name="number"/>, or null when there is no such section.</summary>
    public static (int Start, int End)? Find(string text, int number)
    {
        var headings = Headings(text);
        if (number == 0)
        {
            return (0, headings.Count > 0 ? headings[0].Start : text.Length);
        }

        if (number < 1 || number > headings.Count)
        {
            return null;
        }

        var (start, level, _) = headings[number - 1];
        var end = text.Length;
        for (var i = number; i < headings.Count; i++)
        {
            if (headings[i].Level <= level)
            {
                end = headings[i].Start;
                break;
            }
        }

        return (start, end);
    }

    public static string? Get(string text, int number) =>
        Find(text, number) is { } s ? text[s.Start..s.End].TrimEnd('\n') : null;

    /// <summary>Replaces a section, keeping the blank line MediaWiki keeps before the next heading.</summary>
    public static string? Replace(string text, int number, string replacement)
    {
        if (Find(text, number) is not { } s)
        {
            return null;
        }

        var after = text[s.End..];
        var sep = after.Length > 0 ? "\n\n" : "";
        return text[..s.Start] + replacement.TrimEnd('\n') + sep + after;
    }

    [GeneratedRegex(@"^(={1,6})(.+?)(={1,6})[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex HeadingRegex();
}
