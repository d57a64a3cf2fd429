using Dockyard.Server.Ui.Components;

namespace Dockyard.Server.Tests.Ui;

public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("hello <img src=x onerror=alert(1)> world")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<svg onload=alert(1)>")]
    public void ToHtml_RawHtml_IsShownAsTextNotMarkup(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](java\tscript:alert(1))")]
    [InlineData("[click](<java script:alert(1)>)")]
    [InlineData("[click](vbscript:msgbox(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("![img](javascript:alert(1))")]
    [InlineData("[click][ref]\n\n[ref]: javascript:alert(1)")]
    [InlineData("<javascript:alert(1)>")]
    public void ToHtml_DangerousLinkSchemes_AreNeutralised(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("javascript:", html.Replace("&#9;", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"data:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"vbscript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"javascript", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ToHtml_SafeMarkdown_IsRendered()
    {
        var html = SafeMarkdown.ToHtml("# Title\n\nSome **bold** text, `code` and a [link](https://example.com/docs).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[rel](../other)");

        Assert.Contains("<h2", html, StringComparison.Ordinal); // the page's own title is the only <h1>
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code>code</code>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com/docs\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"../other\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_AttributeSyntax_IsNotAnEscapeHatch()
    {
        var html = SafeMarkdown.ToHtml("# Title {onclick=alert(1)}\n\n[x](https://a.example){onmouseover=alert(1)}");

        Assert.DoesNotContain("onclick=\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onmouseover=\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("mailto:a@example.com", true)]
    [InlineData("/relative/path", true)]
    [InlineData("relative:not-a-scheme/../x", false)]
    [InlineData("page#frag:ment", true)]
    [InlineData(" javascript:alert(1)", false)]
    [InlineData("\u0001javascript:alert(1)", false)]
    [InlineData("file:///etc/passwd", false)]
    public void IsSafeUrl_AllowsOnlyKnownSchemes(string url, bool safe) => Assert.Equal(safe, SafeMarkdown.IsSafeUrl(url));

    [Fact]
    public void ToHtml_Headings_AreDemotedOneLevel_SoTheReadmeNeverAddsASecondH1()
    {
        var html = SafeMarkdown.ToHtml("# Title\n\nSetext\n======\n\n## Sub\n\n##### Five\n\n###### Six");

        Assert.DoesNotContain("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Title</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Setext</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>Sub</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<h6>Five</h6>", html, StringComparison.Ordinal);
        Assert.Contains("<h6>Six</h6>", html, StringComparison.Ordinal); // capped: there is no <h7>
    }

    [Theory]
    [InlineData("![logo](/repositories/acme/app/logo.png)", "/repositories/acme/app/logo.png")]
    [InlineData("![logo](docs/logo.png)", "docs/logo.png")]
    [InlineData("![logo](../logo.png?v=2)", "../logo.png?v=2")]
    [InlineData("![dot](data:image/png;base64,iVBORw0KGgo=)", "data:image/png;base64,iVBORw0KGgo=")]
    public void ToHtml_ImagesServedByDockyard_AreShown(string markdown, string src)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.Contains($"<img src=\"{src}\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("![evil](https://evil.example/track.png)")]
    [InlineData("![evil](HTTP://OTHER.EXAMPLE/track.png)")]
    [InlineData("![evil](//evil.example/track.png)")]
    [InlineData("![evil](/\\evil.example/track.png)")]
    [InlineData("![evil](\\\\evil.example/track.png)")]
    [InlineData("![evil](&#x2F;&#x2F;evil.example/track.png)")]
    [InlineData("![evil](<//evil.example/track.png>)")]
    [InlineData("![evil](javascript:alert(1))")]
    [InlineData("![evil](JaVaScRiPt:alert(1))")]
    [InlineData("![evil](&#x6A;avascript:alert(1))")]
    [InlineData("![evil](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("![evil](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)")]
    [InlineData("![evil](ftp://evil.example/track.png)")]
    [InlineData("![evil][ref]\n\n[ref]: //evil.example/track.png")]
    [InlineData("[![evil](https://evil.example/badge.svg)](https://example.com)")]
    public void ToHtml_ImagesFromElsewhere_AreNotShown_OnlyTheirAltText(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example/track", html.Replace("&#x2F;", "/", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("evil", html, StringComparison.Ordinal); // the alt text stays as text
    }

    [Theory]
    [InlineData("https://registry.example.com/repositories/acme/app/logo.png", true)]
    [InlineData("HTTPS://REGISTRY.EXAMPLE.COM:443/logo.png", true)]
    [InlineData("/logo.png", true)]
    [InlineData("https://registry.example.com:8443/logo.png", false)]
    [InlineData("http://registry.example.com/logo.png", false)]
    [InlineData("https://registry.example.com.evil.example/logo.png", false)]
    [InlineData("https://registry.example.com@evil.example/logo.png", false)]
    [InlineData("https://user@registry.example.com/logo.png", false)]
    [InlineData("//evil.example/logo.png", false)]
    [InlineData("https://evil.example/?u=https://registry.example.com/logo.png", false)]
    public void ToHtml_AbsoluteImageUrls_AreShownOnlyOnThePublicUrlsOrigin(string url, bool shown)
    {
        var html = SafeMarkdown.ToHtml($"![logo]({url})", new Uri("https://registry.example.com"));

        Assert.Equal(shown, html.Contains("<img", StringComparison.Ordinal));
        Assert.Equal(shown, SafeMarkdown.IsServedByDockyard(url, new Uri("https://registry.example.com")));
    }
}
