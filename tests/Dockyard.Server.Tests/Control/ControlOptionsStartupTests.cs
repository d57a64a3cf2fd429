using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Control;

/// <summary>A bad <c>Dockyard:Control:Engines</c> entry stops the server at start, naming the entry and the reason.</summary>
public sealed class ControlOptionsStartupTests
{
    [Theory]
    [InlineData("Bad_Name", "unix:///run/docker.sock", "Engines:0 ('Bad_Name'): name:")]
    [InlineData("remote", "tcp://192.0.2.10:2376", "Engines:0 ('remote'): caFile:")]
    [InlineData("web", "https://192.0.2.10", "Engines:0 ('web'): endpoint:")]
    public async Task Start_InvalidConfiguredEngine_FailsWithItsIndexAndReason(string name, string endpoint, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dockyard:Control:Engines:0:Name"] = name,
            ["Dockyard:Control:Engines:0:Endpoint"] = endpoint,
        }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SameEngineNameTwice_Fails()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () => await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dockyard:Control:Engines:0:Name"] = "local",
            ["Dockyard:Control:Engines:0:Endpoint"] = "unix:///run/a.sock",
            ["Dockyard:Control:Engines:1:Name"] = "local",
            ["Dockyard:Control:Engines:1:Endpoint"] = "unix:///run/b.sock",
        }));

        Assert.Contains("Engines:1: the name 'local' is configured twice", error.Message, StringComparison.Ordinal);
    }
}
