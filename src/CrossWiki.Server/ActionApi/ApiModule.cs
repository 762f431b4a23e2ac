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

    /// <summary>The token type the module needs, or null; its parameter is <c>{Prefix}token</c>.</summary>
    public virtual string? TokenType => null;

    public virtual string Description => "";

    /// <summary>How proxies may cache the answer; private unless the module says otherwise.</summary>
    public virtual ApiCacheMode CacheMode => ApiCacheMode.Private;

    public abstract IReadOnlyList<ApiParam> Parameters { get; }

    public string TokenParamName => Prefix + "token";

    public abstract Task ExecuteAsync(ApiContext ctx);

    protected ApiParam Def(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name)
        ?? throw new InvalidOperationException($"Module {Path} does not declare parameter {name}.");

    protected string? GetString(ApiContext ctx, string name)
    {
        var def = Def(name);
        var value = ctx.Request.Get(Prefix + name);
        if (value is null)
        {
            return def.Default;
        }

        if (def.Type == ApiParamType.Enum && def.Values is { } values && !values.Contains(value))
        {
            throw ApiError.BadValue(Prefix + name, value);
        }

        return value;
    }

    protected string RequireString(ApiContext ctx, string name) =>
        GetString(ctx, name) ?? throw ApiError.MissingParam(Prefix + name);

    /// <summary>Booleans are true when present with any value, even an empty one (spec api-clients.md).</summary>
    protected bool GetBool(ApiContext ctx, string name)
    {
        _ = Def(name);
        return ctx.Request.Has(Prefix + name);
    }

    protected int? GetInt(ApiContext ctx, string name)
    {
        var def = Def(name);
        var raw = ctx.Request.Get(Prefix + name) ?? def.Default;
        if (raw is null)
        {
            return null;
        }

        var full = Prefix + name;
        var high = ctx.User.HasRight("apihighlimits");
        var max = def.Type == ApiParamType.Limit ? (high ? def.HighMax ?? def.Max : def.Max) : def.Max;
        if (def.Type == ApiParamType.Limit && raw == "max")
        {
            return max;
        }

        if (!int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            throw new ApiError("badinteger", $"Invalid value \"{raw}\" for integer parameter \"{full}\".");
        }

        // Out-of-range values are clamped with a warning (ParamValidator's outofrange).
        var lo = def.Min;
        if ((lo is { } min && n < min) || (max is { } m && n > m))
        {
            var text = (lo, max) switch
            {
                ({ } a, { } b) => $"must be between {a} and {b}.",
                (null, { } b) => $"must be no greater than {b}.",
                ({ } a, null) => $"must be no less than {a}.",
                _ => "",
            };
            ctx.Result.Warn(Path, "outofrange", $"The value \"{n}\" for parameter \"{full}\" {text}");
            n = Math.Clamp(n, lo ?? int.MinValue, max ?? int.MaxValue);
        }

        return n;
    }

    /// <summary>
    /// A multi-value parameter: split on <c>|</c>, or on U+001F when the value starts with it (spec
    /// api-clients.md); duplicates are dropped; unknown values are warned about and skipped.
    /// </summary>
    protected IReadOnlyList<string> GetMulti(ApiContext ctx, string name)
    {
        var def = Def(name);
        var raw = ctx.Request.Get(Prefix + name) ?? def.Default;
        if (string.IsNullOrEmpty(raw))
        {
            return [];
        }

        var full = Prefix + name;
        var parts = SplitMulti(raw);
        var limit = ctx.User.HasRight("apihighlimits") ? MultiLimitHigh : MultiLimit;
        if (parts.Length > limit)
        {
            throw new ApiError("toomanyvalues", $"Too many values supplied for parameter \"{full}\". The limit is {limit:N0}.", data: new()
            {
                ["limit"] = limit, ["lowlimit"] = MultiLimit, ["highlimit"] = MultiLimitHigh,
            });
        }

        var result = new List<string>(parts.Length);
        var unknown = new List<string>();
        foreach (var part in parts)
        {
            if (def.Values is { } values && !values.Contains(part))
            {
                if (part == "*" && values.Count > 0 && def.Type == ApiParamType.Enum)
                {
                    result.AddRange(values.Where(v => !result.Contains(v)).Order(StringComparer.Ordinal));
                    continue;
                }

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

        if (unknown.Count > 0)
        {
            ctx.Result.Warn(Path, "unrecognizedvalues",
                $"Unrecognized value{(unknown.Count > 1 ? "s" : "")} for parameter \"{full}\": {string.Join(", ", unknown)}");
        }

        return result;
    }

    public static string[] SplitMulti(string raw) =>
        raw.StartsWith('\u001f') ? raw[1..].Split('\u001f') : raw.Split('|');
}
