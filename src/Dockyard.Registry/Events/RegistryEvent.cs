namespace Dockyard.Registry.Events;

/// <summary>Something that happened to a repository's content. Raised by the content services after the change is durable.</summary>
public abstract record RegistryEvent
{
    public required RepositoryName Repository { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
