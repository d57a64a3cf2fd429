namespace Dockyard.Registry.Events;

/// <summary>Discards events; the default until a consumer registers a real sink.</summary>
public sealed class NullRegistryEventSink : IRegistryEventSink
{
    public static readonly NullRegistryEventSink Instance = new();

    public void Publish(RegistryEvent registryEvent)
    {
    }
}
