using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// A string of a result that writes itself into the answer, escaped on the way, instead of being built as
/// a string first: the HTML of a big page is tens of MB (action=parse of 200,000 links). Put into a result
/// with <see cref="JsonFragment.ToJsonValue"/>; only <see cref="JsonPrinter"/> reads it.
/// </summary>
internal abstract class JsonText : JsonFragment
{
    public abstract void WriteTo<TSink>(ref TSink sink)
        where TSink : ITextSink, allows ref struct;

    public sealed override void WriteTo(Utf8Buffer output, bool utf8) => JsonPrinter.WriteText(output, this, utf8);
}

/// <summary>
/// A value of a result (an array of 200,000 links, say) that prints itself as JSON straight into the
/// answer, instead of being built as nodes first. Put into a result with <see cref="ToJsonValue"/>; only
/// <see cref="JsonPrinter"/> reads it, and the fragment must write exactly one JSON value.
/// </summary>
internal abstract class JsonFragment
{
    public abstract void WriteTo(Utf8Buffer output, bool utf8);

    public JsonValue ToJsonValue() => JsonValue.Create(this)!;
}

/// <summary>
/// Writes JSON the way MediaWiki's printer does: slashes and <c>&lt;&gt;&amp;</c> unescaped, non-ASCII
/// escaped as <c>\uXXXX</c> unless UTF-8 output is on (formatversion 2 without <c>ascii</c>, or
/// <c>utf8</c>), and U+2028/U+2029 always escaped so the output is also valid JavaScript (JSONP).
/// The output is UTF-8 written straight into a pooled buffer: no intermediate string.
/// </summary>
internal static class JsonPrinter
{
    /// <summary>What needs an escape in UTF-8 output: quote, backslash, C0 controls, U+2028, U+2029.</summary>
    private static readonly SearchValues<char> Utf8Escaped = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u2028\u2029");

    /// <summary>What ASCII output writes as it is: printable ASCII and DEL, except quote and backslash.</summary>
    private static readonly SearchValues<char> AsciiPlain = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007f");

    /// <summary>The JSON text as a string (for the HTML format, which shows it).</summary>
    public static string Write(JsonNode? node, bool utf8)
    {
        using var buffer = new Utf8Buffer();
        Write(buffer, node, utf8);
        return buffer.GetString();
    }

    public static void Write(Utf8Buffer output, JsonNode? node, bool utf8)
    {
        switch (node)
        {
            case null:
                output.WriteAscii("null");
                break;
            case JsonObject obj:
                output.Write((byte)'{');

                // By index: enumerating a JsonObject allocates an enumerator.
                for (var i = 0; i < obj.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write((byte)',');
                    }

                    var (key, value) = obj.GetAt(i);
                    WriteString(output, key, utf8);
                    output.Write((byte)':');
                    Write(output, value, utf8);
                }

                output.Write((byte)'}');
                break;
            case JsonArray array:
                output.Write((byte)'[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write((byte)',');
                    }

                    Write(output, array[i], utf8);
                }

                output.Write((byte)']');
                break;
            case JsonValue value:
                WriteValue(output, value, utf8);
                break;
        }
    }

    private static void WriteValue(Utf8Buffer output, JsonValue value, bool utf8)
    {
        if (value.TryGetValue<JsonFragment>(out var fragment))
        {
            fragment.WriteTo(output, utf8);
            return;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(output, value.GetValue<string>(), utf8);
                break;
            case JsonValueKind.True:
                output.WriteAscii("true");
                break;
            case JsonValueKind.False:
                output.WriteAscii("false");
                break;
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l))
                {
                    output.WriteFormatted(l);
                }
                else if (value.TryGetValue<int>(out var i))
                {
                    output.WriteFormatted(i);
                }
                else
                {
                    output.WriteAscii(value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture));
                }

                break;
            default:
                output.WriteAscii("null");
                break;
        }
    }

    public static void WriteString(Utf8Buffer output, string s, bool utf8)
    {
        output.Write((byte)'"');
        WriteEscaped(output, s, utf8);
        output.Write((byte)'"');
    }

    /// <summary>A <see cref="JsonText"/> as a JSON string, its pieces escaped as they come.</summary>
    internal static void WriteText(Utf8Buffer output, JsonText text, bool utf8)
    {
        output.Write((byte)'"');
        var sink = new EscapingSink(output, utf8);
        text.WriteTo(ref sink);
        output.Write((byte)'"');
    }

    /// <summary>The JSON escape of a string's characters, without its quotes.</summary>
    private static void WriteEscaped(Utf8Buffer output, ReadOnlySpan<char> rest, bool utf8)
    {
        while (!rest.IsEmpty)
        {
            var stop = utf8 ? rest.IndexOfAny(Utf8Escaped) : rest.IndexOfAnyExcept(AsciiPlain);
            if (stop < 0)
            {
                output.WriteUtf8(rest);
                break;
            }

            output.WriteUtf8(rest[..stop]);
            var c = rest[stop];
            switch (c)
            {
                case '"': output.WriteAscii("\\\""); break;
                case '\\': output.WriteAscii("\\\\"); break;
                case '\n': output.WriteAscii("\\n"); break;
                case '\r': output.WriteAscii("\\r"); break;
                case '\t': output.WriteAscii("\\t"); break;
                case '\b': output.WriteAscii("\\b"); break;
                case '\f': output.WriteAscii("\\f"); break;
                default:
                    output.WriteAscii("\\u");
                    output.WriteFormatted((int)c, "x4");
                    break;
            }

            rest = rest[(stop + 1)..];
        }
    }

    /// <summary>Escapes each piece of a <see cref="JsonText"/> into the answer.</summary>
    private readonly struct EscapingSink(Utf8Buffer output, bool utf8) : ITextSink
    {
        public void Write(ReadOnlySpan<char> text) => WriteEscaped(output, text, utf8);
    }
}

/// <summary>
/// A growable UTF-8 buffer on pooled arrays; dispose it to give them back. It grows by doubling up to one
/// segment and then by whole segments, never by copying: a 27 MB answer takes 27 MB of 128 KiB arrays, not
/// a chain of doubled arrays the pool keeps afterwards. Segments are above the large-object threshold,
/// so the collections that run while a big answer is written never copy it.
/// </summary>
internal sealed class Utf8Buffer : IDisposable
{
    private const int SegmentSize = 128 * 1024;

    private List<(byte[] Array, int Length)>? _full;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
    private int _length;
    private int _fullLength;

    public int Length => _fullLength + _length;

    public void Write(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Text known to be ASCII (JSON punctuation, numbers).</summary>
    public void WriteAscii(string ascii)
    {
        Ensure(ascii.Length);
        _length += Encoding.ASCII.GetBytes(ascii, _buffer.AsSpan(_length));
    }

    /// <summary>Text as UTF-8; a lone surrogate becomes U+FFFD, as when a string is written to the response.</summary>
    public void WriteUtf8(ReadOnlySpan<char> text)
    {
        // In slices: room is reserved for the worst case of a slice (three bytes a char), not of the whole
        // text. A slice never ends between the two halves of a surrogate pair.
        const int Slice = 16 * 1024;
        while (text.Length > Slice)
        {
            var cut = char.IsHighSurrogate(text[Slice - 1]) ? Slice - 1 : Slice;
            WriteUtf8Slice(text[..cut]);
            text = text[cut..];
        }

        WriteUtf8Slice(text);
    }

    private void WriteUtf8Slice(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void WriteFormatted<T>(T value, string? format = null)
        where T : IUtf8SpanFormattable
    {
        Ensure(32);
        if (!value.TryFormat(_buffer.AsSpan(_length), out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A number did not fit in 32 bytes.");
        }

        _length += written;
    }

    /// <summary>Everything written, in order.</summary>
    public async Task CopyToAsync(Stream stream, CancellationToken ct)
    {
        foreach (var (array, length) in _full ?? [])
        {
            await stream.WriteAsync(array.AsMemory(0, length), ct);
        }

        await stream.WriteAsync(_buffer.AsMemory(0, _length), ct);
    }

    /// <summary>Everything written, decoded.</summary>
    public string GetString()
    {
        if (_full is null)
        {
            return Encoding.UTF8.GetString(_buffer.AsSpan(0, _length));
        }

        var all = new byte[Length];
        var at = 0;
        foreach (var (array, length) in _full)
        {
            array.AsSpan(0, length).CopyTo(all.AsSpan(at));
            at += length;
        }

        _buffer.AsSpan(0, _length).CopyTo(all.AsSpan(at));
        return Encoding.UTF8.GetString(all);
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length)
        {
            return;
        }

        if (_full is null && _length + more <= SegmentSize)
        {
            // Small answers stay in one array, grown by doubling (copies of at most 64 KiB).
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            return;
        }

        (_full ??= []).Add((_buffer, _length));
        _fullLength += _length;
        _length = 0;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(SegmentSize, more));
    }

    public void Dispose()
    {
        foreach (var (array, _) in _full ?? [])
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _full = null;
        _fullLength = 0;
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
