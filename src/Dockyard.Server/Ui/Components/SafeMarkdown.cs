using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Dockyard.Server.Ui.Components;

/// <summary>
/// Renders repository descriptions (Markdown written by anyone who may edit a repository) to HTML that is safe to
/// embed: raw HTML is not passed through but shown as text, link URLs are kept only for http, https and mailto (and
/// relative URLs), images only when Dockyard serves them (relative URLs, the public URL's origin, raster
/// <c>data:image/…</c>; any other image becomes its alt text, so a README cannot make readers' browsers call other
/// hosts), headings are demoted one level (the page's own title is its only <c>&lt;h1&gt;</c>), and no extension that
/// lets the author set attributes is enabled. The page's Content-Security-Policy is the second line of defence.
/// </summary>
internal static partial class SafeMarkdown
{
    /// <summary>Longest description rendered; the rest is cut (descriptions are validated shorter than this anyway).</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    /// <summary>Stands for "this server" when no public URL is known: only relative image URLs resolve to it.</summary>
    private static readonly Uri NoPublicUrl = new("https://dockyard.invalid/");

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    /// <summary>The HTML of <paramref name="markdown"/>; images are kept only when served from <paramref name="publicUrl"/>'s origin (or relative).</summary>
    public static string ToHtml(string markdown, Uri? publicUrl = null)
    {
        var document = Markdown.Parse(markdown.Length > MaxLength ? markdown[..MaxLength] : markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 1, 6);
        }

        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage).ToList())
        {
            if (!IsServedByDockyard(image.Url, publicUrl))
            {
                image.ReplaceBy(new LiteralInline(AltText(image)), copyChildren: false);
            }
        }

        foreach (var link in document.Descendants<LinkInline>().Where(l => !l.IsImage))
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

    /// <summary>
    /// True when an image URL loads from Dockyard itself: it resolves (against the public URL) to the public URL's
    /// scheme, host and port with no user info, or it is a raster <c>data:image/…</c>. Browsers drop tabs and line breaks
    /// inside URLs and read <c>\</c> as <c>/</c> (<c>/\evil.example</c> is another host), so a URL with any control
    /// character or backslash is refused rather than normalized.
    /// </summary>
    public static bool IsServedByDockyard(string? url, Uri? publicUrl)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Any(c => char.IsControl(c) || c == '\\'))
        {
            return false;
        }

        url = url.Trim();
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return RasterDataImage().IsMatch(url);
        }

        var origin = publicUrl ?? NoPublicUrl;
        return Uri.TryCreate(origin, url, out var resolved)
               && resolved.IsAbsoluteUri
               && resolved.UserInfo.Length == 0
               && Uri.Compare(resolved, origin, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
    }

    private static string AltText(ContainerInline image)
    {
        var text = new StringBuilder();
        foreach (var literal in image.Descendants<LiteralInline>())
        {
            text.Append(literal.Content);
        }

        return text.ToString();
    }

    [GeneratedRegex("^data:image/(png|gif|jpeg|webp)(;base64)?,", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RasterDataImage();
}
