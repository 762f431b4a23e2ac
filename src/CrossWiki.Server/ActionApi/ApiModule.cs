using System.Globalization;

namespace CrossWiki.Server.ActionApi;

internal enum ApiParamType
{
    String,
    Text,
    Password,
    Integer,
    Limit,
    Boolean,
    Timestamp,
    Title,
    User,
    Enum,

    /// <summary>A file sent as a multipart part (MediaWiki's <c>upload</c> type), read with <see cref="ApiRequest.GetUpload"/>.</summary>
    Upload,
}

/// <summary>A parameter a module declares; drives validation, paraminfo and help.</summary>
internal sealed record ApiParam(string Name, ApiParamType Type = ApiParamType.String)
{
    public bool Required { get; init; }

    public bool Multi { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public string? Default { get; init; }

    public int? Min { get; init; }

    public int? Max { get; init; }

    public int? HighMax { get; init; }

    public string Help { get; init; } = "";

    /// <summary>For the token parameter: the token type it takes.</summary>
    public string? TokenType { get; init; }
}

/// <summary>One api.php module (an action or a query submodule). Stateless: one instance serves every request.</summary>
internal abstract class ApiModule
{
    /// <summary>Multi-value limits: 50 values, 500 with <c>apihighlimits</c> (MediaWiki's ParamValidator).</summary>
    private const int MultiLimit = 50;
    private const int MultiLimitHigh = 500;

    public abstract string Name { get; }

    /// <summary>Module path as MediaWiki names it in warnings and paraminfo (<c>query+tokens</c>).</summary>
    public virtual string Path => Name;

    public virtual string Prefix => "";

    public virtual bool MustBePosted => false;

    public virtual bool IsWriteMode => false;

    /// <summary>ApiBase::isReadMode: the module needs the read right (and paraminfo says readrights).</summary>
    public virtual bool IsReadMode => true;

    /// <summary>The token type the module needs, or null; its parameter is <c>{Prefix}token</c>.</summary>
    public virtual string? TokenType => null;

    public virtual string Description => "";

    /// <summary>How proxies may cache the answer; private unless the module says otherwise.</summary>
    public virtual ApiCacheMode CacheMode => ApiCacheMode.Private;

    public abstract IReadOnlyList<ApiParam> Parameters { get; }

    public string TokenParamName => Prefix + "token";

    public abstract Task ExecuteAsync(ApiContext ctx);

    /// <summary>Prefixed names of <see cref="Parameters"/>, in order, built on first use.</summary>
    private string[]? _fullNames;

    /// <summary>The declared parameters by name with their place in <see cref="Parameters"/>, built on first use (modules are singletons).</summary>
    private Dictionary<string, int>? _indexByName;

    private string[] FullNames => _fullNames ??= [.. Parameters.Select(p => Prefix + p.Name)];

    private int IndexOf(string name)
    {
        var byName = _indexByName ??= Parameters.Select((p, i) => (p.Name, i)).DistinctBy(x => x.Name).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        return byName.TryGetValue(name, out var index) ? index : throw new InvalidOperationException($"Module {Path} does not declare parameter {name}.");
    }

    protected ApiParam Def(string name) => Parameters[IndexOf(name)];

    /// <summary>
    /// The raw value of a parameter, marked used. Like ApiBase, the module that reads a value warns when it
    /// had to be cleaned (apiwarn-badutf8) or was sent in PHP array syntax (apiwarn-unsupportedarray).
    /// </summary>
    protected string? Raw(ApiContext ctx, string name) => ReadParameter(ctx, Path, Prefix + name);

    /// <summary>Reads a parameter for the module at <paramref name="path"/> (api.php's own parameters use <c>main</c>).</summary>
    public static string? ReadParameter(ApiContext ctx, string path, string fullName)
    {
        var value = ctx.Request.Get(fullName);
        if (value is null)
        {
            if (ctx.Request.IsArray(fullName))
            {
                // Raised by ApiMain::getVal, so always main's.
                ctx.Result.Warn("main", "unsupportedarray", $"Parameter \"{fullName}\" uses unsupported PHP array syntax.");
            }
        }
        else if (ctx.Request.WasCleaned(fullName))
        {
            ctx.Result.Warn(path, "badutf8", $"The value passed for \"{fullName}\" contains invalid or non-normalized data. Textual data should be valid, NFC-normalized Unicode without C0 control characters other than HT (\\t), LF (\\n), and CR (\\r).");
        }

        return value;
    }

    /// <summary>
    /// Validates every declared parameter in declaration order, as ApiBase::extractRequestParams does
    /// before the token is checked (ApiMain::setupModule): missing required values, bad integers, bad enum
    /// values, too many values; out-of-range limits warn. Each value is parsed once per request: the
    /// getters below hand out what was validated here.
    /// </summary>
    public void ValidateParameters(ApiContext ctx)
    {
        var fullNames = FullNames;
        var parameters = Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var fullName = fullNames[i];

            // A parameter that was not sent, has no default and is not required has nothing to validate:
            // every getter would return nothing and say nothing.
            if (!p.Required && p.Default is null && ctx.Request.Peek(fullName) is null && !ctx.Request.IsArray(fullName))
            {
                continue;
            }

            if (p.Required && string.IsNullOrEmpty(ctx.Request.Peek(fullName)))
            {
                // ParamValidator: a required parameter that is missing or empty.
                _ = Raw(ctx, p.Name);
                throw ApiError.MissingParam(fullName);
            }

            Value(ctx, i);
        }
    }

    /// <summary>The parsed value of the parameter at <paramref name="index"/>: parsed on first use in this request, then kept.</summary>
    private object? Value(ApiContext ctx, int index)
    {
        var values = ctx.ParameterValues(this, Parameters.Count);
        var value = values[index];
        if (ReferenceEquals(value, ApiContext.NotParsed))
        {
            value = Parse(ctx, Parameters[index]);
            values[index] = value;
        }

        return value;
    }

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    private object? Parse(ApiContext ctx, ApiParam def) => def.Multi
        ? ParseMulti(ctx, def)
        : def.Type switch
        {
            ApiParamType.Integer or ApiParamType.Limit => ParseInt(ctx, def),
            ApiParamType.Boolean => Raw(ctx, def.Name) is not null ? BoxedTrue : BoxedFalse,
            ApiParamType.Timestamp => ParseTimestamp(ctx, def),
            _ => ParseString(ctx, def),
        };

    protected string? GetString(ApiContext ctx, string name) => (string?)Value(ctx, IndexOf(name));

    /// <summary>A required string, read when the module runs (query submodules): missing or empty is <c>missingparam</c>, as ParamValidator says.</summary>
    protected string RequireString(ApiContext ctx, string name) =>
        GetString(ctx, name) is { Length: > 0 } value ? value : throw ApiError.MissingParam(Prefix + name);

    /// <summary>Booleans are true when present with any value, even an empty one (spec api-clients.md).</summary>
    protected bool GetBool(ApiContext ctx, string name) => (bool)Value(ctx, IndexOf(name))!;

    /// <summary>A timestamp in any form MediaWiki takes (ISO 8601, 14 digits, <c>now</c>); <c>badtimestamp</c> otherwise.</summary>
    protected DateTime? GetTimestamp(ApiContext ctx, string name) => (DateTime?)Value(ctx, IndexOf(name));

    protected int? GetInt(ApiContext ctx, string name) => (int?)Value(ctx, IndexOf(name));

    /// <summary>
    /// A multi-value parameter: split on <c>|</c>, or on U+001F when the value starts with it (spec
    /// api-clients.md); duplicates are dropped; unknown values are warned about and skipped.
    /// </summary>
    protected IReadOnlyList<string> GetMulti(ApiContext ctx, string name) => (IReadOnlyList<string>)Value(ctx, IndexOf(name))!;

    private string? ParseString(ApiContext ctx, ApiParam def)
    {
        var value = Raw(ctx, def.Name);
        if (value is null)
        {
            return def.Default;
        }

        if (value.StartsWith('\u001f') && !def.Multi)
        {
            throw new ApiError("badvalue", $"Parameter \"{Prefix + def.Name}\" accepts only a single value. U+001F multi-value separation may only be used for multi-valued parameters.");
        }

        if (def.Type == ApiParamType.Enum && def.Values is { } values && !values.Contains(value))
        {
            throw ApiError.BadValue(Prefix + def.Name, value);
        }

        return value;
    }

    private DateTime? ParseTimestamp(ApiContext ctx, ApiParam def)
    {
        var raw = ParseString(ctx, def);
        if (raw is null)
        {
            return null;
        }

        if (raw is "" or "0")
        {
            // TimestampDef: an empty or zero timestamp means now, with paramvalidator-unclearnowtimestamp.
            ctx.Result.Warn(Path, "unclearnowtimestamp",
                $"Passing \"{raw}\" for timestamp parameter \"{Prefix + def.Name}\" has been deprecated. If for some reason you need to explicitly specify the current time without calculating it client-side, use \"now\".");
            return ctx.Now;
        }

        return Timestamps.TryParse(raw, ctx.Now, out var t)
            ? t
            : throw new ApiError("badtimestamp", $"Invalid value \"{raw}\" for timestamp parameter \"{Prefix + def.Name}\".");
    }

    private int? ParseInt(ApiContext ctx, ApiParam def)
    {
        var raw = Raw(ctx, def.Name) ?? def.Default;
        if (raw is null)
        {
            return null;
        }

        var full = Prefix + def.Name;
        var high = ctx.User.HasRight("apihighlimits");
        var max = def.Type == ApiParamType.Limit ? (high ? def.HighMax ?? def.Max : def.Max) : def.Max;
        if (def.Type == ApiParamType.Limit && raw == "max")
        {
            return max;
        }

        if (!int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            throw ApiError.BadInteger(full, raw);
        }

        return Clamp(ctx, full, raw, n, def.Min, max);
    }

    /// <summary>ApiBase::requireOnlyOneParameter for two parameters (see the general form).</summary>
    protected void RequireOnlyOne(string first, object? firstValue, string second, object? secondValue) =>
        RequireOnlyOne((first, firstValue), (second, secondValue));

    /// <summary>
    /// ApiBase::requireOnlyOneParameter: exactly one of the parameters must be given (<c>missingparam</c> for
    /// none, <c>invalidparammix</c> naming those given for more); the messages name them with the prefix, listed
    /// as MediaWiki lists them (<c>"a", "b" and "c"</c>).
    /// </summary>
    protected void RequireOnlyOne(params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var given = 0;
        foreach (var (_, value) in parameters)
        {
            given += value is null ? 0 : 1;
        }

        if (given == 0)
        {
            throw new ApiError("missingparam", $"One of the parameters {NameList(parameters.Select(p => p.Name))} is required.");
        }

        RequireMaxOne(parameters);
    }

    /// <summary>ApiBase::requireMaxOneParameter: at most one of the parameters may be given (<c>invalidparammix</c>).</summary>
    protected void RequireMaxOne(params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count(p => p.Value is not null) > 1)
        {
            throw new ApiError("invalidparammix", $"The parameters {NameList(parameters.Where(p => p.Value is not null).Select(p => p.Name))} can not be used together.");
        }
    }

    /// <summary>ApiBase::requireAtLeastOneParameter: one or more of the parameters must be given (<c>missingparam</c>).</summary>
    protected void RequireAtLeastOne(params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.All(p => p.Value is null))
        {
            throw new ApiError("missingparam", $"At least one of the parameters {NameList(parameters.Select(p => p.Name))} is required.");
        }
    }

    /// <summary>Parameter names quoted with the prefix, as Message::listParam writes a list: <c>"a", "b" and "c"</c>.</summary>
    private string NameList(IEnumerable<string> names)
    {
        var quoted = names.Select(n => "\"" + Prefix + n + "\"").ToList();
        return quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted[..^1]) + " and " + quoted[^1];
    }

    /// <summary>
    /// Out-of-range values are clamped with ParamValidator's outofrange warning; the value is quoted as
    /// given, the bounds are formatted as numbers (<c>5,000</c>).
    /// </summary>
    protected int Clamp(ApiContext ctx, string fullName, string raw, int n, int? min, int? max)
    {
        if ((min is { } lo && n < lo) || (max is { } hi && n > hi))
        {
            var text = (min, max) switch
            {
                ({ } a, { } b) => $"must be between {Num(a)} and {Num(b)}.",
                (null, { } b) => $"must be no greater than {Num(b)}.",
                ({ } a, null) => $"must be no less than {Num(a)}.",
                _ => "",
            };
            ctx.Result.Warn(Path, "outofrange", $"The value \"{raw}\" for parameter \"{fullName}\" {text}");
            n = Math.Clamp(n, min ?? int.MinValue, max ?? int.MaxValue);
        }

        return n;
    }

    private static string Num(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private List<string> ParseMulti(ApiContext ctx, ApiParam def)
    {
        var raw = Raw(ctx, def.Name) ?? def.Default;
        if (string.IsNullOrEmpty(raw))
        {
            return [];
        }

        var full = Prefix + def.Name;
        var parts = SplitMulti(raw);
        var limit = ctx.User.HasRight("apihighlimits") ? MultiLimitHigh : MultiLimit;
        if (parts.Length > limit)
        {
            throw new ApiError("toomanyvalues", $"Too many values supplied for parameter \"{full}\". The limit is {Num(limit)}.", data: new()
            {
                ["limit"] = limit, ["lowlimit"] = MultiLimit, ["highlimit"] = MultiLimitHigh,
            });
        }

        var result = new List<string>(parts.Length);
        List<string>? unknown = null;
        foreach (var part in parts)
        {
            if (def.Values is { } values && !values.Contains(part))
            {
                if (part == "*" && values.Count > 0 && def.Type == ApiParamType.Enum)
                {
                    AddAllValues(result, values);
                    continue;
                }

                unknown ??= [];
                if (!unknown.Contains(part))
                {
                    unknown.Add(part);
                }

                continue;
            }

            if (!result.Contains(part))
            {
                result.Add(part);
            }
        }

        if (unknown is { Count: > 0 })
        {
            ctx.Result.Warn(Path, "unrecognizedvalues",
                $"Unrecognized value{(unknown.Count > 1 ? "s" : "")} for parameter \"{full}\": {string.Join(", ", unknown)}");
        }

        return result;
    }

    /// <summary><c>*</c>: every value not given yet, sorted (outside <see cref="ParseMulti"/>, which would otherwise allocate a closure on every call).</summary>
    private static void AddAllValues(List<string> result, IReadOnlyList<string> values) =>
        result.AddRange(values.Where(v => !result.Contains(v)).Order(StringComparer.Ordinal));

    public static string[] SplitMulti(string raw) =>
        raw.StartsWith('\u001f') ? raw[1..].Split('\u001f') : raw.Split('|');
}
