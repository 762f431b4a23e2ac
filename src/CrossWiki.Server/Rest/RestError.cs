using System.Text.Json.Nodes;

namespace CrossWiki.Server.Rest;

/// <summary>The one error type of rest.php, written as MediaWiki's REST error body.</summary>
internal sealed class RestError(int status, string message, string? errorKey = null, string? actionModuleErrorCode = null, JsonObject? errorData = null) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>When set, the body is <c>{"error": key, ...}</c> without translations (rest-cross-origin-anon-write).</summary>
    public string? ErrorKey { get; } = errorKey;

    public string? ActionModuleErrorCode { get; } = actionModuleErrorCode;

    /// <summary>
    /// A parameter the validator refuses (MediaWiki's Rest\Validator): 400 with <c>parameter-validation-failed</c>,
    /// the parameter, its value and the failure code before the message.
    /// </summary>
    public static RestError BadParameter(string name, string value, string failureCode, string message) =>
        new(400, message, errorData: new JsonObject
        {
            ["error"] = "parameter-validation-failed",
            ["name"] = name,
            ["value"] = value,
            ["failureCode"] = failureCode,
            ["failureData"] = null,
        });

    /// <summary>An integer parameter that is not one (<c>paramvalidator-badinteger</c>).</summary>
    public static RestError BadInteger(string name, string value) =>
        BadParameter(name, value, "badinteger", $"Invalid value \"{value}\" for integer parameter <var>{name}</var>.");

    /// <summary>A parameter with a value not among its allowed ones (<c>paramvalidator-badvalue-enumnotmulti</c>).</summary>
    public static RestError BadValue(string name, string value) =>
        BadParameter(name, value, "badvalue", $"Unrecognized value for parameter <var>{name}</var>: {value}.");

    public JsonObject Body()
    {
        var body = errorData?.DeepClone().AsObject() ?? new JsonObject();
        if (ErrorKey is not null)
        {
            body["error"] = ErrorKey;
        }
        else
        {
            if (ActionModuleErrorCode is not null)
            {
                body["actionModuleErrorCode"] = ActionModuleErrorCode;
            }

            body["messageTranslations"] = new JsonObject { ["en"] = Message };
        }

        body["httpCode"] = Status;
        body["httpReason"] = Reason(Status);
        return body;
    }

    public static string Reason(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        _ => "Error",
    };
}
