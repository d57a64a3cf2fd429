namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// Tests that bound the process's managed heap (<c>GC.GetTotalMemory</c>) run alone: the heap is the whole test
/// process's, so another collection's servers and buffers running in parallel count against the bound.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process memory";
}
