using Dockyard.Server.Errors;
using Dockyard.Server.Ui.Stacks;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>The stack pages' input handling without a browser: which source URLs become links, and the editor's variables.</summary>
public sealed class StackUiFormTests
{
    [Theory]
    [InlineData("https://git.example.com/acme/shop", "https://git.example.com/acme/shop")]
    [InlineData("http://example.com/x?y=1", "http://example.com/x?y=1")]
    [InlineData("git://example.com/acme/shop.git", "git://example.com/acme/shop.git")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("JavaScript:alert(1)", null)]
    [InlineData("data:text/html,<script>alert(1)</script>", null)]
    [InlineData("git@github.com:acme/shop.git", null)]
    [InlineData("/relative/path", null)]
    [InlineData(null, null)]
    public void Only_http_https_and_git_source_urls_are_links(string? url, string? href) =>
        Assert.Equal(href, StackLinks.SafeHref(url));

    [Fact]
    public void Variables_and_secret_variables_are_read_by_line()
    {
        var form = new StackForm { Environment = "LOG_LEVEL=info\r\n\r\n# a comment\nURL=http://x/?a=b", Secrets = "DB_PASSWORD= s3=cret " };
        var (environment, secrets) = form.ParseEnvironment();
        Assert.Equal("info", environment["LOG_LEVEL"]);
        Assert.Equal("http://x/?a=b", environment["URL"]);
        Assert.Equal(" s3=cret ", environment["DB_PASSWORD"]);
        Assert.Equal(new[] { "DB_PASSWORD" }, secrets);
    }

    [Theory]
    [InlineData("JUST_A_NAME", null, "environment", "Line 1 is not NAME=value.")]
    [InlineData("A=1\n1B=2", null, "environment", "Line 2 is not NAME=value.")]
    [InlineData("A=1\nA=2", null, "environment", "A is given twice.")]
    [InlineData("A=1", "A=2", "secret variables", "A is also a plain variable.")]
    public void A_bad_variable_line_is_refused_naming_it(string environment, string? secrets, string field, string message)
    {
        var error = Assert.Throws<DomainException>(() => new StackForm { Environment = environment, Secrets = secrets }.ParseEnvironment());
        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }
}
