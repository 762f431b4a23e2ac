using System.Text;

namespace CrossWiki.Server.ActionApi;

/// <summary>How the answer is printed: read from the raw parameters before anything runs (ApiMain::__construct).</summary>
/// <param name="FormatVersionError">The printer's own parameter error (an unknown formatversion), raised when printing.</param>
internal sealed record ApiOutput(string Format, int FormatVersion, bool Utf8, string? Callback, string ErrorFormat, string? FormatVersionError)
{
    public static readonly ApiOutput Default = new("json", 1, false, null, "bc", null);

    /// <summary>Parameters of the JSON printer; never reported as unrecognized (ApiMain::reportUnusedParams).</summary>
    public static readonly string[] PrinterParams = ["formatversion", "utf8", "ascii", "callback"];

    public static ApiOutput Read(ApiRequest request)
    {
        var format = request.Peek("format") ?? "jsonfm";
        if (format is not ("json" or "jsonfm"))
        {
            format = "json";
        }

        var fvRaw = request.Peek("formatversion");
        var fv = fvRaw == "2" || fvRaw == "latest" ? 2 : 1;
        string? fvError = fvRaw is null or "1" or "2" or "latest" ? null : $"Unrecognized value for parameter \"formatversion\": {fvRaw}.";

        // MediaWiki prints UTF-8 in formatversion 2 unless ascii is set, and in 1 only with utf8.
        var utf8 = fv == 2 ? request.Peek("ascii") is null : request.Peek("utf8") is not null;
        var callback = request.Peek("callback");
        return new ApiOutput(format, fv, utf8, callback is null ? null : SanitizeCallback(callback), ErrorFormatOf(request), fvError);
    }

    /// <summary>The error formatter, chosen from the raw value before any validation: unknown values print as <c>bc</c>.</summary>
    public static string ErrorFormatOf(ApiRequest? request) =>
        request?.Peek("errorformat") is { } ef && MainModule.ErrorFormats.Contains(ef) ? ef : "bc";

    /// <summary>JSONP callbacks keep only <c>A-Za-z0-9_.[]'"</c>; everything else is deleted, not rejected (spec §5).</summary>
    public static string SanitizeCallback(string callback)
    {
        var sb = new StringBuilder(callback.Length);
        foreach (var c in callback)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '[' or ']' or '\'' or '"')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
