namespace Dockyard.Server.Tests.Ui;

/// <summary>Browser tests of the web UI share one Chromium.</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiBrowserFixture>
{
    public const string Name = "Ui";
}
