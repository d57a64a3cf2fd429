namespace Dockyard.Server.Distribution;

/// <summary>What a <c>/v2</c> request needs to be allowed to do, in Docker token-scope terms.</summary>
[Flags]
internal enum RegistryAction
{
    None = 0,
    Pull = 1,
    Push = 2,
    Delete = 4,
}
