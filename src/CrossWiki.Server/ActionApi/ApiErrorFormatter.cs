using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// MediaWiki's ApiErrorFormatter: how an error replaces the result, and how errors and warnings are
/// shaped for each <c>errorformat</c> (<c>bc</c>, or message lists in the others).
/// </summary>
internal static class ApiErrorFormatter
{
    private const string DocRefTail =
        " for API usage. Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes.";

    /// <summary>
    /// ApiMain::substituteResultWithError: the result is emptied except for its warnings, the error is added
    /// on top (BC: <c>error</c> with the docref inside; otherwise <c>errors</c> and a top-level docref),
    /// then requestid and curtimestamp are appended again.
    /// </summary>
    public static void SubstituteError(ApiResult result, Wiki wiki, ApiError error, ApiRequest? request, DateTime now)
    {
        var root = result.Data;
        var hadWarnings = root.ContainsKey(ApiResult.WarningsKey);
        root.Clear();
        if (hadWarnings)
        {
            root[ApiResult.WarningsKey] = null;
        }

        var docref = "See " + wiki.ApiUrl + DocRefTail;
        var errorFormat = ApiOutput.ErrorFormatOf(request);
        if (errorFormat == "bc")
        {
            var err = new JsonObject { ["code"] = error.Code, ["info"] = error.Info };
            if (error.ExtraData is { } data)
            {
                foreach (var (key, value) in data.ToList())
                {
                    data.Remove(key);
                    err[key] = value;
                }
            }

            err[result.FormatVersion == 2 ? "docref" : "*"] = docref;
            root.Insert(0, "error", err);
        }
        else
        {
            root.Insert(0, "errors", MessageList([(error.Code, error.Info, error.Module ?? "main", error.ExtraData)], errorFormat, result.FormatVersion));
            root[result.FormatVersion == 2 ? "docref" : "*"] = docref;
        }

        if (request?.Peek("requestid") is { } requestId)
        {
            root["requestid"] = requestId;
        }

        if (request?.Peek("curtimestamp") is not null)
        {
            root["curtimestamp"] = Timestamps.Iso(now);
        }
    }

    /// <summary>The warnings of a result in the shape <paramref name="errorFormat"/> asks for.</summary>
    public static JsonNode Warnings(ApiResult result, string errorFormat) => errorFormat == "bc"
        ? BcWarnings(result)
        : MessageList(result.Warnings.Select(w => (w.Code, w.Text, w.Module, (JsonObject?)null)), errorFormat, result.FormatVersion);

    /// <summary>
    /// BC warnings: <c>{module name: {"*" or "warnings": texts joined by newlines}}</c>, keyed by the last part
    /// of the module path. A module's entry is created on top of the others (ADD_ON_TOP), so the module
    /// that warned last comes first.
    /// </summary>
    private static JsonObject BcWarnings(ApiResult result)
    {
        var warnings = new JsonObject();
        var key = result.FormatVersion == 2 ? "warnings" : "*";
        foreach (var group in result.Warnings.GroupBy(w => w.Module[(w.Module.LastIndexOf('+') + 1)..]))
        {
            warnings.Insert(0, group.Key, new JsonObject { [key] = string.Join("\n", group.Select(w => w.Text)) });
        }

        return warnings;
    }

    /// <summary>Non-BC errors and warnings: <c>[{code, text|html|key+params, [data], module}]</c>.</summary>
    private static JsonArray MessageList(IEnumerable<(string Code, string Text, string Module, JsonObject? Data)> messages, string errorFormat, int formatVersion)
    {
        var list = new JsonArray();
        foreach (var (code, text, module, data) in messages)
        {
            var item = new JsonObject { ["code"] = code };
            switch (errorFormat)
            {
                case "html":
                    item["html"] = HtmlEncoder.Default.Encode(text);
                    break;
                case "raw":
                    item["key"] = "apierror-" + code;
                    item["params"] = new JsonArray();
                    break;
                case "none":
                    break;
                default:
                    item[formatVersion == 2 ? "text" : "*"] = text;
                    break;
            }

            if (data is { Count: > 0 })
            {
                item["data"] = data.DeepClone();
            }

            item["module"] = module;
            list.Add(item);
        }

        return list;
    }
}
