using System.Text.Json.Nodes;

namespace CrossWiki.Client;

/// <summary>
/// An answer from the wiki that is an error: an api.php error (<c>{"error":{"code":…,"info":…}}</c>, or the
/// first of <c>errors</c> with another <c>errorformat</c>), a login that did not succeed, a REST error, an
/// HTTP error status, or an answer that is not the expected JSON. Failures to reach the wiki stay
/// <see cref="HttpRequestException"/>; a timeout is a <see cref="TaskCanceledException"/> whose inner
/// exception is a <see cref="TimeoutException"/>.
/// </summary>
public sealed class WikiApiException : Exception
{
    /// <summary>Creates an exception for the error <paramref name="code"/>.</summary>
    /// <param name="code">The error code, e.g. <c>badtoken</c>.</param>
    /// <param name="info">The human-readable text.</param>
    /// <param name="result">The whole JSON answer, when there was one.</param>
    /// <param name="statusCode">The HTTP status of the answer, when there was one.</param>
    public WikiApiException(string code, string info, JsonNode? result = null, int? statusCode = null)
        : base(code + ": " + info)
    {
        Code = code;
        Info = info;
        Result = result;
        StatusCode = statusCode;
    }

    /// <summary>Creates an exception with the code <c>unknown</c>.</summary>
    public WikiApiException()
        : this("unknown", string.Empty)
    {
    }

    /// <summary>Creates an exception with the code <c>unknown</c> and <paramref name="message"/> as info.</summary>
    public WikiApiException(string message)
        : this("unknown", message)
    {
    }

    /// <summary>Creates an exception with the code <c>unknown</c>, <paramref name="message"/> as info and an inner exception.</summary>
    public WikiApiException(string message, Exception innerException)
        : base("unknown: " + message, innerException)
    {
        Code = "unknown";
        Info = message;
    }

    /// <summary>
    /// The error code: api.php's (<c>badtoken</c>, <c>maxlag</c>, <c>assertuserfailed</c>, …); a failed login's
    /// <c>result</c> (<c>Failed</c>, <c>WrongToken</c>, <c>Aborted</c>, …); a REST error's <c>errorKey</c> or
    /// <c>error</c>; <c>http-&lt;status&gt;</c> for another HTTP error; <c>ok-but-empty</c>,
    /// <c>invalidjson</c>, <c>query-missing</c> or <c>token-missing</c> for an unexpected answer.
    /// </summary>
    public string Code { get; }

    /// <summary>The human-readable text that came with the error.</summary>
    public string Info { get; }

    /// <summary>The whole JSON answer, or null when there was none.</summary>
    public JsonNode? Result { get; }

    /// <summary>The HTTP status of the answer (api.php errors normally come with 200), or null.</summary>
    public int? StatusCode { get; }
}
