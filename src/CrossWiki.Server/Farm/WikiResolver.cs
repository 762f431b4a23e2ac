namespace CrossWiki.Server.Farm;

/// <summary>Puts the wiki named by the request's Host (host and port) on the request; an unknown Host is a 404.</summary>
internal sealed partial class WikiResolver(RequestDelegate next, FarmConfig farm, ILogger<WikiResolver> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        var wiki = farm.ForHost(host, context.Request.IsHttps);
        if (wiki is null)
        {
            LogUnknownHost(logger, host.Value ?? "");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("No wiki of this farm is served at this host and port.\n", context.RequestAborted);
        }

        context.Features.Set(wiki);
        return next(context);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "No wiki for Host '{Host}'")]
    private static partial void LogUnknownHost(ILogger logger, string host);
}
