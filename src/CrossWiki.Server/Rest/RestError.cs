using System.Text.Json.Nodes;

namespace CrossWiki.Server.Rest;

/// <summary>The one error type of rest.php, written as MediaWiki's REST error body.</summary>
internal sealed class RestError(int status, string message, string? errorKey = null, string? actionModuleErrorCode = null) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>When set, the body is <c>{"error": key, ...}</c> without translations (rest-cross-origin-anon-write).</summary>
    public string? ErrorKey { get; } = errorKey;

    public string? ActionModuleErrorCode { get; } = actionModuleErrorCode;

    public JsonObject Body()
    {
        var body = new JsonObject();
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
        _ => "Error",
    };
}
