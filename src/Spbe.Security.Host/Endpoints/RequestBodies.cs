using Microsoft.AspNetCore.Http.Features;

namespace Spbe.Security.Host.Endpoints;

/// <summary>Reading request bodies with a size bound that holds whatever Content-Length claims (or omits).</summary>
internal static class RequestBodies
{
    /// <summary>Lets this request's body be at most <paramref name="limit"/> bytes (Kestrel's default may be lower or higher).</summary>
    public static void Allow(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }
    }

    /// <summary>Everything <paramref name="source"/> holds, or null as soon as it is more than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAtMostAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[(int)Math.Min(81920, limit + 1)];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
