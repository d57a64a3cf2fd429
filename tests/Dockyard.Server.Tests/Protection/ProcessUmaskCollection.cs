namespace Dockyard.Server.Tests.Protection;

/// <summary>Tests that set the process-wide umask run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessUmaskCollection
{
    public const string Name = "Process umask";
}
