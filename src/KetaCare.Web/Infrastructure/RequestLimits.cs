using Microsoft.AspNetCore.Http.Features;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// Bounds every request body before anything reads it: <see cref="MaxApiBodyBytes"/> for the JSON API and FHIR,
/// <see cref="MaxFormBodyBytes"/> for forms. A larger declared length is refused with 413 at once; a body without a
/// length (chunked) is cut off when it passes the bound, also as 413. No form or API call of the clinic comes near
/// these (the longest text a chart takes is 2,000 characters); a 10 MB name or a 100,000-character note does not
/// get in. Kestrel's own limit (<see cref="MaxFormBodyBytes"/> for the whole server) stands behind this.
/// </summary>
internal sealed class RequestLimits(RequestDelegate next)
{
    /// <summary>Largest JSON body of an API or FHIR request, bytes.</summary>
    public const long MaxApiBodyBytes = 64 * 1024;

    /// <summary>Largest form body, bytes.</summary>
    public const long MaxFormBodyBytes = 256 * 1024;

    /// <summary>
    /// Largest body of a FHIR import (API and page), bytes: a bundle of <see cref="Interop.Fhir.FhirImporter.MaxBundleBytes"/>
    /// sent twice (the page posts the file, then the bundle again with the confirmation) plus form encoding.
    /// </summary>
    public const long MaxImportBodyBytes = (3 * Interop.Fhir.FhirImporter.MaxBundleBytes) + (64 * 1024);

    /// <summary>The import page, whose form carries a whole bundle.</summary>
    public const string ImportPagePath = "/Patients/Import";

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.Request.Path.StartsWithSegments(Api.FhirImportApi.Path, StringComparison.OrdinalIgnoreCase) || context.Request.Path.StartsWithSegments(ImportPagePath, StringComparison.OrdinalIgnoreCase)
            ? MaxImportBodyBytes
            : context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || context.Request.Path.StartsWithSegments("/fhir", StringComparison.OrdinalIgnoreCase)
            ? MaxApiBodyBytes
            : MaxFormBodyBytes;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            await TooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        var original = context.Request.Body;
        context.Request.Body = new LimitedStream(original, limit);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BodyTooLargeException) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLargeAsync(context, limit).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLargeAsync(context, limit).ConfigureAwait(false);
        }
        finally
        {
            context.Request.Body = original;
        }
    }

    private static Task TooLargeAsync(HttpContext context, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return Results.Problem(
            detail: $"body: larger than the allowed {limit / 1024} KB for this endpoint; nothing was read or saved.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Request too large").ExecuteAsync(context);
    }

    private sealed class BodyTooLargeException : IOException
    {
        public BodyTooLargeException()
            : base("request body over the limit")
        {
        }

        public BodyTooLargeException(string message)
            : base(message)
        {
        }

        public BodyTooLargeException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }

    /// <summary>A read-only view of the body that throws once more than the limit has been read.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            return _read > limit ? throw new BodyTooLargeException() : n;
        }
    }
}
