using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Ui.Stacks;

/// <summary>
/// Which stack buttons the pages show. Only a courtesy: every post goes through the stack service, which decides again
/// (and the page shows its refusal as an error).
/// </summary>
internal sealed class StackPermissions(CollectionDecisions decisions)
{
    /// <summary>What the caller may do to a stack in <paramref name="collection"/>.</summary>
    public async Task<(bool Deploy, bool Remove)> OnAsync(Principal principal, string collection, CancellationToken cancellationToken)
    {
        if (!CollectionPath.TryParse(collection, out var path))
        {
            return (false, false);
        }

        var deploy = await decisions.AllowedAsync(principal, Operation.StackDeploy, ResourceKind.Stack, [path], cancellationToken);
        var remove = await decisions.AllowedAsync(principal, Operation.StackRemove, ResourceKind.Stack, [path], cancellationToken);
        return (deploy.Count > 0, remove.Count > 0);
    }

    /// <summary>
    /// May the caller deploy into their own default collection or into any collection a stack they see lives in? Shows the
    /// "Deploy a stack" button; someone granted only an empty collection still reaches the editor by its URL.
    /// </summary>
    public async Task<bool> MayDeploySomewhereAsync(Principal principal, IEnumerable<string> collections, CancellationToken cancellationToken)
    {
        if (!principal.IsAuthenticated)
        {
            return false;
        }

        var candidates = collections
            .Select(c => CollectionPath.TryParse(c, out var path) ? path : null)
            .Append(ControlLabels.DefaultFor(principal.Name))
            .OfType<CollectionPath>();
        return (await decisions.AllowedAsync(principal, Operation.StackDeploy, ResourceKind.Stack, candidates, cancellationToken)).Count > 0;
    }
}
