using Dockyard.Server.Control.Stacks.Follow;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Trust.Policies;

internal static class TrustPoliciesServiceCollectionExtensions
{
    /// <summary>
    /// Signature policies: their service and in-memory snapshot, the evaluator the pull path and deploys ask, and the
    /// stack deploy gate, which replaces the follow folder's allow-all default whichever registration runs first.
    /// </summary>
    public static IServiceCollection AddTrustPolicies(this IServiceCollection services)
    {
        services.TryAddSingleton<TrustPolicyCache>();
        services.TryAddSingleton<TrustPolicyService>();
        services.TryAddSingleton<TrustPolicyEvaluator>();
        services.Replace(ServiceDescriptor.Singleton<IStackDeployGate, TrustStackDeployGate>());
        return services;
    }
}
