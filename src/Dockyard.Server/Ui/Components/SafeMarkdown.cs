using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Dockyard.Server.Ui.Components;

/// <summary>
/// Renders repository descriptions (Markdown written by anyone who may edit a repository) to HTML that is safe to
/// embed: raw HTML is not passed through but shown as text, link and image URLs are kept only for http, https and
/// mailto (and relative URLs), and no extension that lets the author set attributes is enabled. The page's
/// Content-Security-Policy is the second line of defence.
/// </summary>
internal static class SafeMarkdown
{
    /// <summary>Longest description rendered; the rest is cut (descriptions are validated shorter than this anyway).</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown.Length > MaxLength ? markdown[..MaxLength] : markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }

            link.GetAttributes().AddPropertyIfNotExist("rel", "nofollow noopener noreferrer");
        }

        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            if (!autolink.IsEmail && !IsSafeUrl(autolink.Url))
            {
                autolink.Url = "#";
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>
    /// True for relative URLs and the allowed schemes. Browsers ignore control characters and whitespace inside a
    /// scheme (<c>java&#9;script:</c>), so those are removed before the scheme is read.
    /// </summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        var compact = new string([.. url.Where(c => c > ' ' && c != '\u007f')]);
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (firstDelimiter >= 0 && firstDelimiter < colon))
        {
            // No scheme: a relative URL. "//host" is protocol-relative, still http(s).
            return true;
        }

        var scheme = compact[..colon];
        return AllowedSchemes.Any(s => string.Equals(s, scheme, StringComparison.OrdinalIgnoreCase));
    }
}
