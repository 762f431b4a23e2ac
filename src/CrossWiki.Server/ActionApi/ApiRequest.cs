using System.Text;
using CrossWiki.Server.Files;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// The parameters of one api.php request: query string and body merged, the body winning as with PHP's
/// <c>$_POST + $_GET</c> (spec §2.1), in that key order. Reading a parameter marks it used, so the rest
/// are reported as unrecognized at the end, as MediaWiki does.
/// </summary>
internal sealed class ApiRequest
{
    /// <summary>One parameter's value, with what the request did with it.</summary>
    private sealed class Parameter(string value)
    {
        public string Value { get; set; } = value;

        public bool Used { get; set; }

        public bool Cleaned { get; set; }

        /// <summary>Sent in the body (which wins over the query string).</summary>
        public bool InBody { get; set; }

        /// <summary>Sent in the query string (whether or not the body also had it).</summary>
        public bool InQuery { get; set; }
    }

    // Parameters in request order (a Dictionary keeps insertion order when nothing is removed). Only
    // parameters that were sent carry state: reading an absent one costs a lookup, nothing more.
    private readonly Dictionary<string, Parameter> _values = new(8, StringComparer.Ordinal);
    private HashSet<string>? _arrays;
    private HashSet<string>? _usedArrays;
    private Dictionary<string, UploadedFile>? _uploads;

    private ApiRequest(string method, bool hasContentType)
    {
        Method = method;
        HasContentType = hasContentType;
    }

    public string Method { get; }

    public bool WasPosted => Method == HttpMethods.Post;

    /// <summary>Whether the request named its body's type (a POST without one gets a deprecation warning).</summary>
    public bool HasContentType { get; }

    public bool Has(string name) => Get(name) is not null;

    public string? Get(string name)
    {
        if (_values.TryGetValue(name, out var parameter))
        {
            parameter.Used = true;
            return parameter.Value;
        }

        MarkArrayUsed(name);
        return null;
    }

    /// <summary>The file sent in the multipart part of this name (<c>file</c>, <c>chunk</c>), or null.</summary>
    public UploadedFile? GetUpload(string name) => _uploads is not null && _uploads.TryGetValue(name, out var file) ? file : null;

    /// <summary>Reads a value without marking it used (for checks that are not the parameter's owner).</summary>
    public string? Peek(string name) => _values.TryGetValue(name, out var parameter) ? parameter.Value : null;

    public bool IsInQueryString(string name) => _values.TryGetValue(name, out var parameter) && parameter.InQuery;

    /// <summary>
    /// True when the value had to be changed to be valid NFC Unicode without C0 controls; the module that
    /// reads it warns with <c>apiwarn-badutf8</c>.
    /// </summary>
    public bool WasCleaned(string name) => _values.TryGetValue(name, out var parameter) && parameter.Cleaned;

    /// <summary>True when the parameter was only given in PHP array syntax (<c>name[]=…</c>), which MediaWiki ignores.</summary>
    public bool IsArray(string name) => _arrays is not null && !_values.ContainsKey(name) && _arrays.Contains(name);

    public void MarkUsed(string name)
    {
        if (_values.TryGetValue(name, out var parameter))
        {
            parameter.Used = true;
        }
        else
        {
            MarkArrayUsed(name);
        }
    }

    private void MarkArrayUsed(string name)
    {
        if (_arrays is not null && _arrays.Contains(name))
        {
            (_usedArrays ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }
    }

    /// <summary>Unused parameters in request order (body first, then query string), as WebRequest::getValueNames.</summary>
    public List<string> Unused()
    {
        var unused = new List<string>();
        foreach (var (name, parameter) in _values)
        {
            if (!parameter.Used)
            {
                unused.Add(name);
            }
        }

        if (_arrays is not null)
        {
            foreach (var name in _arrays)
            {
                if (!_values.ContainsKey(name) && _usedArrays?.Contains(name) != true)
                {
                    unused.Add(name);
                }
            }
        }

        return unused;
    }

    /// <summary>
    /// Reads query string and body (only a POST body: PHP fills <c>$_POST</c> for nothing else). URL-encoded
    /// text is decoded as PHP does (<c>+</c> is a space, invalid UTF-8 becomes U+FFFD later, not left
    /// percent-encoded). A multipart body that cannot be parsed is left out, as PHP does; one over the size
    /// limit is read to its end (so the client sees the answer) and refused. The multipart parts of the
    /// upload parameters (<see cref="UploadParameters"/>) are streamed into files of <paramref name="uploadDirectory"/>,
    /// deleted when the response is done; every other part is a parameter value.
    /// </summary>
    public static ValueTask<ApiRequest> ReadAsync(HttpRequest request, string uploadDirectory, CancellationToken ct)
    {
        var collected = new ApiRequest(request.Method, request.ContentType is not null);
        if (request.Method == HttpMethods.Post && request.HasFormContentType)
        {
            return new ValueTask<ApiRequest>(ReadPostAsync(collected, request, uploadDirectory, ct));
        }

        collected.AddQueryString(request.QueryString.Value);
        return ValueTask.FromResult(collected);
    }

    /// <summary>The parameters whose multipart parts are files, not text (MediaWiki's <c>upload</c> parameters of action=upload).</summary>
    public static readonly IReadOnlyList<string> UploadParameters = ["file", "chunk"];

    /// <summary>The largest file api.php takes in one part (MediaWiki's <c>$wgMaxUploadSize</c>, 100 MiB).</summary>
    public const long MaxUploadBytes = 100L * 1024 * 1024;

    private static async Task<ApiRequest> ReadPostAsync(ApiRequest collected, HttpRequest request, string uploadDirectory, CancellationToken ct)
    {
        var multipart = !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        var limit = multipart ? MaxUploadBytes + MaxBodyBytes : MaxBodyBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // api.php reads at most the limit; the rest of a larger body is only drained, up to DrainBytes more.
            bodyLimit.MaxRequestBodySize = limit + DrainBytes;
        }

        if (request.ContentLength > limit)
        {
            await DrainAsync(request, ct);
            throw TooLarge();
        }

        if (!multipart)
        {
            foreach (var (key, value) in ParseUrlEncoded(await ReadBodyAsync(request, ct)))
            {
                Add(collected, key, value);
            }
        }
        else if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary)
        {
            try
            {
                await collected.ReadMultipartAsync(request, boundary, uploadDirectory, ct);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge();
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // PHP drops a body it cannot parse and runs with the query string alone.
                collected._values.Clear();
                collected._uploads = null;
            }
        }

        collected.AddQueryString(request.QueryString.Value);
        return collected;
    }

    /// <summary>
    /// The parts of a multipart body, one at a time: upload parts into files (at most
    /// <see cref="MaxUploadBytes"/> each; a larger one is kept as too large and its rest read and thrown
    /// away), the others as values (at most <see cref="MaxBodyBytes"/> in all). Multipart file parts of
    /// other parameters carry values too (mwn sends long text as multipart).
    /// </summary>
    private async Task ReadMultipartAsync(HttpRequest request, string boundary, string uploadDirectory, CancellationToken ct)
    {
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
        long textBytes = 0;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { } name)
            {
                continue;
            }

            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
            if (fileName is not null && UploadParameters.Contains(name))
            {
                var file = await UploadedFile.ReceiveAsync(section.Body, fileName, uploadDirectory, MaxUploadBytes, ct);
                request.HttpContext.Response.RegisterForDispose(file);
                (_uploads ??= new(StringComparer.Ordinal))[name] = file;
                continue;
            }

            using var text = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await section.Body.ReadAsync(chunk, ct)) > 0)
            {
                textBytes += read;
                if (textBytes > MaxBodyBytes)
                {
                    await DrainAsync(request, ct);
                    throw TooLarge();
                }

                text.Write(chunk, 0, read);
            }

            Add(this, name, Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length));
        }
    }

    /// <summary>The query string's parameters, after the body's: a key the body has keeps the body's value.</summary>
    private void AddQueryString(string? query)
    {
        foreach (var (key, value) in ParseQueryString(query))
        {
            Add(this, key, value, inQuery: true);
        }
    }

    /// <summary>The largest request body api.php reads; larger ones get <c>http-contenttoolarge</c>.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>How much of a too-large body is read and thrown away so that the client can read the 413.</summary>
    private const long DrainBytes = 64 * 1024 * 1024;

    private static ApiError TooLarge() =>
        new("http-contenttoolarge", $"The data provided exceeds the maximum allowed length of {MaxBodyBytes:N0} bytes.", 413);

    /// <summary>Reads the whole body; more than MaxBodyBytes is drained and refused.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                await DrainAsync(request, ct);
                throw TooLarge();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Reads and discards what is left of the body.</summary>
    private static async Task DrainAsync(HttpRequest request, CancellationToken ct)
    {
        var chunk = new byte[64 * 1024];
        try
        {
            while (await request.Body.ReadAsync(chunk, ct) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Beyond DrainBytes the connection is given up; the answer is the same.
        }
    }

    /// <summary>The query string (<c>?a=1&amp;b=2</c>) parsed as <see cref="ParseUrlEncoded"/> does.</summary>
    private static List<(string Key, string Value)> ParseQueryString(string? query)
    {
        if (query is not { Length: > 1 })
        {
            return [];
        }

        // Kestrel keeps the query string as sent; its UTF-8 bytes are what PHP would parse.
        var text = query.AsSpan(1);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[max] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = Encoding.UTF8.GetBytes(text, buffer);
            return ParseUrlEncoded(buffer[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// PHP's parsing of <c>a=1&amp;b=2</c> (php_default_treat_data): pairs split on <c>&amp;</c>, the name at the
    /// first <c>=</c>, <c>+</c> and <c>%XX</c> decoded to bytes, then the bytes read as UTF-8 (invalid
    /// sequences become U+FFFD, as MediaWiki's normalisation makes them). Spaces and dots in a name become
    /// underscores, as PHP mangles variable names; pairs without a name are skipped.
    /// </summary>
    public static List<(string Key, string Value)> ParseUrlEncoded(ReadOnlySpan<byte> data)
    {
        var pairs = new List<(string, string)>(data.Count((byte)'&') + 1);
        while (data.Length > 0)
        {
            var amp = data.IndexOf((byte)'&');
            var pair = amp < 0 ? data : data[..amp];
            data = amp < 0 ? [] : data[(amp + 1)..];
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf((byte)'=');
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            var bracket = key.IndexOf('[', StringComparison.Ordinal);
            var name = (bracket < 0 ? key : key[..bracket]).TrimStart(' ').Replace(' ', '_').Replace('.', '_');
            if (name.Length == 0)
            {
                continue;
            }

            pairs.Add((bracket < 0 ? name : name + key[bracket..], value));
        }

        return pairs;
    }

    private static string Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return Encoding.UTF8.GetString(encoded);
        }

        byte[]? rented = null;
        var bytes = encoded.Length <= 512 ? stackalloc byte[encoded.Length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(encoded.Length));
        try
        {
            return Encoding.UTF8.GetString(bytes[..Unescape(encoded, bytes)]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary><c>+</c> and <c>%XX</c> to bytes; a <c>%</c> without two hex digits stays as it is.</summary>
    private static int Unescape(ReadOnlySpan<byte> encoded, Span<byte> bytes)
    {
        var n = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == '+')
            {
                bytes[n++] = (byte)' ';
            }
            else if (b == '%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                bytes[n++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else
            {
                bytes[n++] = b;
            }
        }

        return n;
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static bool IsArraySyntax(string key, out string baseName)
    {
        var bracket = key.IndexOf('[', StringComparison.Ordinal);
        baseName = bracket > 0 ? key[..bracket] : key;
        return bracket > 0 && key.EndsWith(']');
    }

    private static void Add(ApiRequest collected, string key, string v, bool inQuery = false)
    {
        if (IsArraySyntax(key, out var baseName))
        {
            // PHP turns name[]=x into an array, which WebRequest::getVal does not return (spec §2.1, origin[]=*).
            (collected._arrays ??= new HashSet<string>(StringComparer.Ordinal)).Add(baseName);
            return;
        }

        var existing = collected._values.GetValueOrDefault(key);
        if (inQuery && existing is { InBody: true })
        {
            // $_POST + $_GET: the body's value stands.
            existing.InQuery = true;
            return;
        }

        // PHP keeps the last of repeated keys.
        var clean = v.StartsWith('\u001f')
            ? "\u001f" + string.Join('\u001f', v[1..].Split('\u001f').Select(Clean))
            : Clean(v);
        var wasCleaned = clean != v || v.Contains('\uFFFD', StringComparison.Ordinal);
        if (existing is not null)
        {
            existing.Value = clean;
            existing.Cleaned = wasCleaned;
            existing.InQuery |= inQuery;
        }
        else
        {
            collected._values.Add(key, new Parameter(clean) { Cleaned = wasCleaned, InBody = !inQuery, InQuery = inQuery });
        }
    }

    /// <summary>
    /// MediaWiki's input normalisation (UtfNormal cleanUp): NFC, and C0 controls other than tab, LF and CR
    /// replaced by U+FFFD; invalid UTF-8 has already become U+FFFD when the value was decoded. Each piece of
    /// a U+001F-separated multi-value is cleaned on its own, so the separator survives.
    /// </summary>
    private static string Clean(string v)
    {
        var needsWork = false;
        foreach (var c in v)
        {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0x300)
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return v;
        }

        var sb = new StringBuilder(v.Length);
        foreach (var c in v)
        {
            sb.Append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '\uFFFD' : c);
        }

        var s = sb.ToString();
        if (!s.IsNormalized(NormalizationForm.FormC))
        {
            s = s.Normalize(NormalizationForm.FormC);
        }

        return s == v ? v : s;
    }
}
