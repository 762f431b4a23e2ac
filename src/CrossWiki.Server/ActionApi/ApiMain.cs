using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Cors;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// api.php's pipeline: reads the request once, applies the CORS decision, works out who the request
/// acts as, runs the main module (<see cref="MainModule"/>, MediaWiki's order of checks) and writes the
/// result or the error. The only place that turns an <see cref="ApiError"/> into an answer.
/// </summary>
internal sealed partial class ApiMain(ApiServices services, RequestIdentities identities, ApiResponseWriter writer, ILogger<ApiMain> logger)
{
    public async Task HandleAsync(HttpContext http, Wiki wiki)
    {
        var ct = http.RequestAborted;
        var response = http.Response;
        ApiRequest request;
        try
        {
            request = await ApiRequest.ReadAsync(http.Request, services.Files.TemporaryDirectory, ct);
        }
        catch (ApiError e)
        {
            // The body could not be read: answer in the default JSON shape, nothing was executed.
            e.Module = "main";
            await writer.WriteAsync(http, wiki, new ApiResult(1), ApiOutput.Default, e, request: null, session: null, DateTime.UtcNow, varyOrigin: false);
            return;
        }

        var cors = ApiCorsApplier.DecideAndApply(http, wiki, request, logger);
        if (cors.Action == CorsAction.Forbid)
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            response.ContentType = "text/html; charset=UTF-8";
            await response.WriteAsync(ApiCorsPolicy.MismatchBody, ct);
            return;
        }

        if (cors.Action == CorsAction.AnswerOptions)
        {
            // Every OPTIONS request is answered here, empty, whatever else it asks (spec §2.2 step 7).
            return;
        }

        var output = ApiOutput.Read(request);
        var result = new ApiResult(output.FormatVersion);

        // A centralauthtoken replaces the cookie session for this request; an invalid one is an error sent
        // with the CORS headers above, so the page can read it (T421778).
        string? centralToken = null;
        if (wiki.CentralAuth && request.Peek("centralauthtoken") is { } token)
        {
            request.MarkUsed("centralauthtoken");
            centralToken = token;
        }

        var identity = await identities.ResolveAsync(http, wiki, centralToken, cors.LacksSameOriginSecurity);
        var ctx = new ApiContext
        {
            Wiki = wiki,
            Http = http,
            Request = request,
            Result = result,
            Services = services,
            Session = identity.Session,
            User = identity.User,
            LacksSameOriginSecurity = cors.LacksSameOriginSecurity,
        };

        ApiError? error = null;
        try
        {
            if (identity.CentralTokenRejected)
            {
                throw new ApiError("badtoken", "The centralauthtoken is not valid.") { Module = "main" };
            }

            await RunAsync(ctx, output);
        }
        catch (ApiError e)
        {
            error = e;
        }
        catch (Pages.PageActionRefusedException e)
        {
            error = ApiError.Refused(e.Refusal);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var id = http.TraceIdentifier;
            LogInternalError(logger, e, id);
            error = new ApiError("internal_api_error_" + e.GetType().Name, $"[{id}] Caught exception of type {e.GetType().FullName}",
                data: new JsonObject { ["errorclass"] = e.GetType().FullName });
        }

        if (error is not null)
        {
            error.Module ??= ctx.ModulePath;
        }

        await writer.WriteAsync(http, wiki, result, output, error, request, identity.Session, ctx.Now, cors.VaryOrigin);
    }

    private async Task RunAsync(ApiContext ctx, ApiOutput output)
    {
        var request = ctx.Request;
        foreach (var name in ApiOutput.PrinterParams)
        {
            request.MarkUsed(name);
        }

        if (output.Callback is not null)
        {
            // jQuery's cache buster comes with JSONP and is not a parameter anyone sets (spec §5).
            request.MarkUsed("_");
        }

        // ApiMain::setupExecuteAction: requestid and curtimestamp are the first keys of a result.
        if (request.Peek("requestid") is { } requestId)
        {
            ctx.Result.Data["requestid"] = requestId;
        }

        if (request.Has("curtimestamp"))
        {
            ctx.Result.Data["curtimestamp"] = Timestamps.Iso(ctx.Now);
        }

        await services.Modules.Main.ExecuteAsync(ctx);

        // ApiMain::reportUnusedParams, after the module ran; names in request order.
        var unused = request.Unused();
        if (unused.Count > 0)
        {
            ctx.Result.Warn("main", "unrecognizedparams", unused.Count == 1
                ? $"Unrecognized parameter: {unused[0]}."
                : $"Unrecognized parameters: {string.Join(", ", unused)}.");
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "api.php request {RequestId} failed with an internal error")]
    private static partial void LogInternalError(ILogger logger, Exception exception, string requestId);
}
