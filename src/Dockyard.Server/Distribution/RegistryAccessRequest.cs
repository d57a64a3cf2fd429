using Dockyard.Server.Access;
using Dockyard.Registry;

namespace Dockyard.Server.Distribution;

/// <summary>
/// One authorization question: may this request do <see cref="Actions"/> on <see cref="Repository"/>?
/// A null repository means the registry itself (the <c>/v2/</c> ping or the catalog).
/// </summary>
internal readonly record struct RegistryAccessRequest(RepositoryName? Repository, RepositoryActions Actions, RepositoryName? MountFrom = null);
