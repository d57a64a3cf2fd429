namespace Dockyard.Control.Stacks;

/// <summary>The labels <c>docker stack deploy</c> puts on what it creates, so both tools see the same stacks.</summary>
public static class StackLabels
{
    /// <summary>On every service, container spec, network, secret and config of a stack: the stack's name.</summary>
    public const string Namespace = "com.docker.stack.namespace";

    /// <summary>On every service: the image as written in the Compose file, before pinning to a digest.</summary>
    public const string Image = "com.docker.stack.image";
}
