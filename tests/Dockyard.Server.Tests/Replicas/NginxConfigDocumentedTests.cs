using System.Text.RegularExpressions;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// The nginx the replica tests run behind is the one docs/operations.md tells operators to run: every directive of the
/// documented block (addresses, TLS and names aside) is in <see cref="NginxLoadBalancer"/>'s config.
/// </summary>
public sealed partial class NginxConfigDocumentedTests
{
    [Fact]
    public void The_test_balancer_runs_every_directive_of_the_documented_block()
    {
        var operations = File.ReadAllText(Path.Combine(RepositoryRoot.Path(), "docs", "operations.md"));
        var block = DocumentedBlock().Match(operations);
        Assert.True(block.Success, "docs/operations.md has no ```nginx block with `upstream dockyard {`");
        var documented = Directives(block.Groups[1].Value);
        Assert.Contains("large_client_header_buffers 4 32k", documented);
        Assert.Contains("keepalive 32", documented);

        var tested = Directives(NginxLoadBalancer.Config("/tmp/x", 5000, [5001, 5002])).ToHashSet(StringComparer.Ordinal);
        var missing = documented.Where(d => !tested.Contains(d)).ToList();
        Assert.True(missing.Count == 0, "documented but not in the test balancer's config: " + string.Join("; ", missing));
    }

    /// <summary>Statements, whitespace collapsed, comments and block syntax dropped, upstream addresses as ADDR; TLS, listen and names left out.</summary>
    private static List<string> Directives(string config) =>
        [.. config.Split('\n')
            .Select(line => line.Split('#')[0])
            .SelectMany(line => line.Split([';', '{', '}']))
            .Select(statement => Whitespace().Replace(statement.Trim(), " "))
            .Select(statement => UpstreamServer().Replace(statement, "server ADDR "))
            .Where(statement => statement.Length > 0 && statement != "server" && statement != "…"
                && !statement.StartsWith("upstream ", StringComparison.Ordinal) && !statement.StartsWith("location ", StringComparison.Ordinal)
                && !statement.StartsWith("listen ", StringComparison.Ordinal) && !statement.StartsWith("server_name ", StringComparison.Ordinal)
                && !statement.StartsWith("ssl_", StringComparison.Ordinal))];

    [GeneratedRegex(@"```nginx\n(upstream dockyard \{.*?)```", RegexOptions.Singleline)]
    private static partial Regex DocumentedBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^server \S+:\d+ ")]
    private static partial Regex UpstreamServer();
}
