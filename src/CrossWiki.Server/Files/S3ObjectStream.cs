using Amazon.S3;
using Amazon.S3.Model;

namespace CrossWiki.Server.Files;

/// <summary>
/// A stored object read through S3 GETs, seekable so that Range requests are served from the store as from a
/// local file: reading goes on with the open answer's body while the position is where that body stands; a read
/// after a seek elsewhere starts a ranged GET (<c>bytes=N-</c>) from the new position.
/// </summary>
internal sealed class S3ObjectStream(IAmazonS3 s3, string bucket, string key, GetObjectResponse first) : Stream
{
    private GetObjectResponse? _response = first;
    private long _bodyAt;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; } = first.ContentLength;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        if (_response is null || _bodyAt != _position)
        {
            _response?.Dispose();
            _response = null;
            _response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(_position, Length - 1) }, cancellationToken);
            _bodyAt = _position;
        }

        var read = await _response.ResponseStream.ReadAsync(buffer, cancellationToken);
        _bodyAt += read;
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response?.Dispose();
            _response = null;
        }

        base.Dispose(disposing);
    }
}
