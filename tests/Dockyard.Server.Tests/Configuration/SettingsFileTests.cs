using System.Net;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Configuration;

/// <summary><c>--config FILE</c> / <c>DOCKYARD_CONFIG</c>: the settings file, its place in the precedence order, and a bad one.</summary>
public sealed class SettingsFileTests
{
    [Fact]
    public async Task Serve_WithDockyardConfig_ReadsTheFile_WhileEnvironmentAndFlagsOverrideIt()
    {
        using var directory = new TempDirectory("settings-file");
        var fileData = directory.Combine("file-data");
        var file = directory.Combine("dockyard.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "Dockyard": {
                "DataDirectory": "{{fileData}}",
                "Ui": { "Enabled": false },
                "Auth": { "Enabled": true }
              }
            }
            """);

        // DockyardProcess passes --data and sets DOCKYARD__AUTH__ENABLED=false in the environment.
        await using var server = await DockyardProcess.StartAsync(new Dictionary<string, string> { ["DOCKYARD_CONFIG"] = file });
        using var client = server.CreateClient();
        using var ui = await client.GetAsync("/");
        using var registry = await client.GetAsync("/v2/");

        Assert.Equal(HttpStatusCode.NotFound, ui.StatusCode);           // from the file
        Assert.Equal(HttpStatusCode.OK, registry.StatusCode);           // the environment wins over the file
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "dockyard.db")), server.Output); // the flag wins over the file
        Assert.False(Directory.Exists(fileData));
    }

    [Theory]
    [InlineData("serve", "missing", "does not exist")]
    [InlineData("fsck", "invalid", "is not valid JSON")]
    [InlineData("migrate", "array", "must hold a JSON object")]
    public async Task Verb_WithUnusableConfigFlag_SaysWhyInOneSentence_AndExits2(string verb, string kind, string expected)
    {
        using var directory = new TempDirectory("settings-bad");
        var file = directory.Combine("dockyard.json");
        if (kind == "invalid")
        {
            await File.WriteAllTextAsync(file, "{ \"Dockyard\": { \"DataDirectory\": ");
        }
        else if (kind == "array")
        {
            await File.WriteAllTextAsync(file, "[]");
        }

        var result = await DockyardProcess.RunVerbAsync([verb, "--config", file, "--data", directory.Combine("data")], new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.Combine("data")));
    }

    [Fact]
    public async Task Verb_WithUnreadableDockyardConfigVariable_Exits2()
    {
        using var directory = new TempDirectory("settings-env");
        var result = await DockyardProcess.RunVerbAsync(["fsck", "--data", directory.Combine("data")], new Dictionary<string, string?> { ["DOCKYARD_CONFIG"] = directory.Combine("nope.json") });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.StandardError, StringComparison.Ordinal);
    }
}
