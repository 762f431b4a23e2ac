using System.Buffers.Binary;

namespace CrossWiki.Server.Files;

/// <summary>
/// The pixel size of a bitmap as its header gives it, for the formats CrossWiki detects (PNG, GIF, JPEG,
/// WebP); (0, 0) when the header is cut short or not understood.
/// </summary>
internal static class ImageHeaders
{
    /// <summary>The IHDR chunk's width and height.</summary>
    public static (int Width, int Height) PngSize(byte[] head) =>
        head.Length >= 24 && head.AsSpan(12, 4).SequenceEqual("IHDR"u8)
            ? (Clamp(BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(16))), Clamp(BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(20))))
            : (0, 0);

    /// <summary>The logical screen's width and height.</summary>
    public static (int Width, int Height) GifSize(byte[] head) =>
        head.Length >= 10 ? (BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6)), BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8))) : (0, 0);

    /// <summary>The first frame header (SOF0 to SOF15), found by walking the segments before the scan.</summary>
    public static (int Width, int Height) JpegSize(Stream content, long length)
    {
        long position = 2;
        var marker = new byte[4];
        while (position + 2 <= length)
        {
            var read = FileSample.ReadAt(content, position, marker);
            if (read < 2 || marker[0] != 0xff)
            {
                break;
            }

            if (marker[1] == 0xff)
            {
                // Fill bytes before a marker.
                position++;
                continue;
            }

            var code = marker[1];
            if (code is 0xd8 or 0x01 or (>= 0xd0 and <= 0xd7))
            {
                position += 2;
                continue;
            }

            if (code is 0xd9 or 0xda || read < 4)
            {
                break;
            }

            var segment = BinaryPrimitives.ReadUInt16BigEndian(marker.AsSpan(2));
            if (segment < 2)
            {
                break;
            }

            if (code is >= 0xc0 and <= 0xcf and not 0xc4 and not 0xc8 and not 0xcc)
            {
                var frame = new byte[5];
                return FileSample.ReadAt(content, position + 4, frame) == 5
                    ? (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(3)), BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(1)))
                    : (0, 0);
            }

            position += 2 + segment;
        }

        return (0, 0);
    }

    /// <summary>The canvas of a WebP file: the VP8 frame header, the VP8L header, or the VP8X canvas.</summary>
    public static (int Width, int Height) WebPSize(byte[] head)
    {
        if (head.Length < 16)
        {
            return (0, 0);
        }

        var chunk = head.AsSpan(12, 4);
        if (chunk.SequenceEqual("VP8 "u8) && head.Length >= 30 && head.AsSpan(23, 3).SequenceEqual((ReadOnlySpan<byte>)[0x9d, 0x01, 0x2a]))
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(26)) & 0x3fff, BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(28)) & 0x3fff);
        }

        if (chunk.SequenceEqual("VP8L"u8) && head.Length >= 25 && head[20] == 0x2f)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(21));
            return ((int)(bits & 0x3fff) + 1, (int)((bits >> 14) & 0x3fff) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8) && head.Length >= 30)
        {
            return ((head[24] | (head[25] << 8) | (head[26] << 16)) + 1, (head[27] | (head[28] << 8) | (head[29] << 16)) + 1);
        }

        return (0, 0);
    }

    private static int Clamp(uint value) => (int)Math.Min(value, int.MaxValue);
}
