using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Metadata;

namespace Dockyard.Server.Distribution;

/// <summary><c>GET /v2/{name}/tags/list</c> with <c>n</c>/<c>last</c> pagination.</summary>
internal static class TagEndpoints
{
    public static async Task ListAsync(HttpContext context, RepositoryName name)
    {
        var page = Pagination.FromQuery(context);
        var index = context.RequestServices.GetRequiredService<ITagIndex>();
        // One extra row tells whether a next page exists without a second query.
        var tags = page.Limit == 0
            ? await index.ListTagsAsync(name, page.Last, 0, context.RequestAborted)
            : await index.ListTagsAsync(name, page.Last, page.Limit + 1, context.RequestAborted);
        if (tags is null)
        {
            throw new RegistryException(RegistryErrorCode.NameUnknown, "Repository unknown to this registry.", new { name = name.Value });
        }

        var more = tags.Count > page.Limit;
        var shown = more ? tags.Take(page.Limit).ToList() : tags;
        page.WriteNextLink(context.Response, $"/v2/{name.Value}/tags/list", shown, more);

        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("name", name.Value);
        writer.WriteStartArray("tags");
        foreach (var tag in shown)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        // Writing into the response pipe never blocks; the pipe flushes when the handler returns.
        writer.Flush();
    }
}
