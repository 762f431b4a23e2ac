using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// The one error type of api.php: a MediaWiki error code and its English text (BC error format always
/// speaks English, spec §7.4). Thrown by modules, written once by the printer.
/// </summary>
internal sealed class ApiError(string code, string info, int httpStatus = 200, JsonObject? data = null)
    : Exception(info)
{
    public string Code { get; } = code;

    public string Info { get; } = info;

    /// <summary>200 for usage errors as MediaWiki; 405 for <c>invalidmethod</c>.</summary>
    public int HttpStatus { get; } = httpStatus;

    /// <summary>Extra fields merged into the error object (e.g. maxlag's <c>lag</c>).</summary>
    public JsonObject? ExtraData { get; } = data;

    /// <summary>
    /// The path of the module that raised it (<c>main</c>, <c>edit</c>, <c>query+revisions</c>), reported as
    /// <c>module</c> by the non-BC error formats; filled in by api.php when the thrower did not say.
    /// </summary>
    public string? Module { get; set; }

    public static ApiError MissingParam(string name) =>
        new("missingparam", $"The \"{name}\" parameter must be set.");

    public static ApiError BadToken() => new("badtoken", "Invalid CSRF token.");

    public static ApiError BadValue(string name, string value) =>
        new("badvalue", $"Unrecognized value for parameter \"{name}\": {value}.");

    public static ApiError BadInteger(string name, string value) =>
        new("badinteger", $"Invalid value \"{value}\" for integer parameter \"{name}\".");

    public static ApiError MustBePosted(string module) =>
        new("mustbeposted", $"The \"{module}\" module requires a POST request.");

    /// <summary>apierror-mustpostparams: one or more parameters were in the query string of a POST-only module.</summary>
    public static ApiError MustPostParams(IReadOnlyList<string> names) =>
        new("mustpostparams", names.Count == 1
            ? $"The following parameter was found in the query string, but must be in the POST body: {names[0]}."
            : $"The following parameters were found in the query string, but must be in the POST body: {string.Join(", ", names)}.");

    /// <summary>A refusal of the page core (a right, a block, a protection) as api.php's error, with its extra data.</summary>
    public static ApiError Refused(Pages.EditRefusal refusal) =>
        new(refusal.Code, refusal.Message, data: refusal.Data?.DeepClone().AsObject());

    public static ApiError PermissionDenied(string action) =>
        new("permissiondenied", $"You don't have permission to {action}.");
}
