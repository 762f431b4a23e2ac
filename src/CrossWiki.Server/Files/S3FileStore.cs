using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace CrossWiki.Server.Files;

/// <summary>Where the bucket of an <see cref="S3FileStore"/> is and how to sign for it (<c>Farm:FileStore</c>, validated).</summary>
internal sealed record S3StoreSettings(Uri ServiceUrl, string Bucket, string AccessKey, string SecretKey, string Region)
{
    /// <summary>Everything but the secret key, which must never reach a log or an error message.</summary>
    public override string ToString() => $"bucket {Bucket} at {ServiceUrl} (region {Region}, access key {AccessKey})";
}

/// <summary>
/// The file store in a bucket of an S3-compatible store (Amazon S3, or OpenStack Swift's s3api, which holds
/// Wikimedia's media), so that every node of a farm reads what any node stored. Keys are the object keys as
/// they are; a put is one request, so readers see the old or the new object and never a part. Kept to what
/// Swift 2.30's s3api does too: path-style addressing, no aws-chunked uploads, no multi-object delete.
/// </summary>
internal sealed class S3FileStore : IFileStore, IDisposable
{
    /// <summary>Files up to this size go in one request; larger ones in parts, which a failed request retries alone.</summary>
    internal const long DefaultMultipartThreshold = 64L * 1024 * 1024;

    internal const long DefaultPartSize = 16L * 1024 * 1024;

    private readonly AmazonS3Client _s3;
    private readonly string _bucket;
    private readonly long _multipartThreshold;
    private readonly long _partSize;
    private readonly Lock _bucketGate = new();
    private Task _bucketReady;

    /// <param name="settings">The bucket and the keys.</param>
    /// <param name="multipartThreshold">Files larger than this are uploaded in parts.</param>
    /// <param name="partSize">The size of each part but the last; S3 takes no part under 5 MiB but the last.</param>
    public S3FileStore(S3StoreSettings settings, long multipartThreshold = DefaultMultipartThreshold, long partSize = DefaultPartSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 5L * 1024 * 1024);
        _bucket = settings.Bucket;
        _multipartThreshold = multipartThreshold;
        _partSize = partSize;
        _s3 = new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), new AmazonS3Config
        {
            ServiceURL = settings.ServiceUrl.ToString(),
            AuthenticationRegion = settings.Region,

            // Swift and most S3-compatible stores have no host name per bucket.
            ForcePathStyle = true,

            // SDK v4 adds CRC checksums to every upload by default, which Swift's s3api neither checks nor
            // returns; the SigV4 payload hash covers what is sent.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

        // Started now, so that the bucket usually exists before the first upload; awaited by every operation.
        _bucketReady = CreateBucketAsync();
    }

    public async Task PutAsync(string key, string localPath, string contentType, CancellationToken ct)
    {
        CheckKey(key);
        await BucketReadyAsync(ct);
        var length = new FileInfo(localPath).Length;
        if (length > _multipartThreshold)
        {
            await PutInPartsAsync(key, localPath, length, contentType, ct);
            return;
        }

        // The SDK reads the file from its path as it sends it (and once before, for the signature's hash).
        // UseChunkEncoding: SDK v4 sends aws-chunked bodies by default over http, which Swift answers with 501.
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, FilePath = localPath, ContentType = contentType, UseChunkEncoding = false }, ct);
    }

    public async Task<StoredObject?> StatAsync(string key, CancellationToken ct)
    {
        CheckKey(key);
        await BucketReadyAsync(ct);
        try
        {
            var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, ct);
            return new StoredObject(head.ContentLength, Utc(head.LastModified), head.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The body as it arrives, seekable through ranged GETs (<see cref="S3ObjectStream"/>); disposing the stream ends the response.</summary>
    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        CheckKey(key);
        await BucketReadyAsync(ct);
        try
        {
            var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, ct);
            return new S3ObjectStream(_s3, _bucket, key, response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"The file store has no object {key}.", key, e);
        }
    }

    /// <summary>A copy inside the store, without the bytes passing through this server (up to S3's 5 GB for one copy).</summary>
    public async Task CopyAsync(string fromKey, string toKey, CancellationToken ct)
    {
        CheckKey(fromKey);
        CheckKey(toKey);
        await BucketReadyAsync(ct);
        try
        {
            await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = fromKey, DestinationBucket = _bucket, DestinationKey = toKey }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"The file store has no object {fromKey}.", fromKey, e);
        }
    }

    /// <summary>S3 has no rename: a copy inside the store, then the source deleted.</summary>
    public async Task MoveAsync(string fromKey, string toKey, CancellationToken ct)
    {
        await CopyAsync(fromKey, toKey, ct);
        await DeleteAsync(fromKey, ct);
    }

    /// <summary>One request per key: Swift's s3api refuses SDK v4's multi-object delete (it sends no Content-MD5).</summary>
    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        CheckKey(key);
        await BucketReadyAsync(ct);
        try
        {
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // S3 answers 204 for a key it does not have; a store that says 404 means the same.
        }
    }

    public void Dispose() => _s3.Dispose();

    /// <summary>
    /// A multipart upload: parts read from their place in the file, then put together by the store in one step,
    /// so readers still see the old object until the new one is whole. A failed upload is aborted, or its parts
    /// would stay stored (and, on Amazon S3, billed).
    /// </summary>
    private async Task PutInPartsAsync(string key, string localPath, long length, string contentType, CancellationToken ct)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key, ContentType = contentType }, ct);
        try
        {
            var parts = new List<PartETag>();
            for (var position = 0L; position < length; position += _partSize)
            {
                var number = parts.Count + 1;
                var part = await _s3.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = _bucket,
                        Key = key,
                        UploadId = upload.UploadId,
                        PartNumber = number,
                        FilePath = localPath,
                        FilePosition = position,
                        PartSize = Math.Min(_partSize, length - position),
                        IsLastPart = position + _partSize >= length,
                        UseChunkEncoding = false,
                    },
                    ct);
                parts.Add(new PartETag(number, part.ETag));
            }

            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts }, ct);
        }
        catch
        {
            try
            {
                await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None);
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException)
            {
                // The upload's own failure is the one to report.
            }

            throw;
        }
    }

    /// <summary>The bucket, made when it does not exist; a failed attempt is tried again by the next operation.</summary>
    private Task BucketReadyAsync(CancellationToken ct)
    {
        lock (_bucketGate)
        {
            if (_bucketReady.IsFaulted || _bucketReady.IsCanceled)
            {
                _bucketReady = CreateBucketAsync();
            }

            return _bucketReady.IsCompletedSuccessfully ? Task.CompletedTask : _bucketReady.WaitAsync(ct);
        }
    }

    /// <summary>
    /// Asks first, so that keys that may use a bucket but not create one work; creates it when missing. Another
    /// node may create it at the same moment: S3 then answers BucketAlreadyOwnedByYou, which is success here.
    /// </summary>
    private async Task CreateBucketAsync()
    {
        try
        {
            await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket });
            return;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }

        try
        {
            await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
        {
        }
    }

    /// <summary>
    /// Refuses the keys the folder store refuses, and more: in a path-style URL a <c>.</c> or <c>..</c> segment
    /// would be resolved away (RFC 3986 §5.2.4) and the request would name another key.
    /// </summary>
    private static void CheckKey(string key)
    {
        if (key.Length == 0 || key.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException($"The key {key} is not a file store key (segments between slashes, none empty, '.' or '..').", nameof(key));
        }
    }

    /// <summary>The SDK gives dates in local time or without a kind; the store's are UTC, like the folder store's.</summary>
    private static DateTimeOffset Utc(DateTime? date) => date switch
    {
        null => DateTimeOffset.UnixEpoch,
        { Kind: DateTimeKind.Unspecified } d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        { } d => new DateTimeOffset(d.ToUniversalTime()),
    };
}
