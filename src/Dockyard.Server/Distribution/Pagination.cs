using System.Globalization;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Distribution;

/// <summary>The <c>n</c>/<c>last</c> query parameters and the <c>Link: …; rel="next"</c> header of tags-list and catalog.</summary>
internal readonly record struct Pagination(int Limit, string? Last, bool LimitRequested)
{
    public static Pagination FromQuery(HttpContext context)
    {
        var max = context.RequestServices.GetRequiredService<IOptions<RegistryOptions>>().Value.MaxPageSize;
        var query = context.Request.Query;
        var last = query["last"].ToString();
        var n = query["n"].ToString();
        if (n.Length == 0)
        {
            return new Pagination(max, last.Length == 0 ? null : last, LimitRequested: false);
        }

        if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            throw new RegistryException(RegistryErrorCode.PaginationNumberInvalid, "The n parameter must be a non-negative integer.", new { n });
        }

        return new Pagination(Math.Min(limit, max), last.Length == 0 ? null : last, LimitRequested: true);
    }

    /// <summary>Adds the next-page link when a full page was returned and more entries follow.</summary>
    public void WriteNextLink(HttpResponse response, string path, IReadOnlyList<string> page, bool more)
    {
        if (!more || page.Count == 0)
        {
            return;
        }

        var next = Uri.EscapeDataString(page[^1]);
        response.Headers.Link = string.Create(CultureInfo.InvariantCulture, $"<{path}?n={Limit}&last={next}>; rel=\"next\"");
    }
}
