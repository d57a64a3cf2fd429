using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;

namespace Dockyard.Server.Tests.Access.Collections;

public sealed class CollectionAccessTests
{
    private const long Alice = 1;
    private const long Bob = 2;
    private const long Payments = 10;
    private const long Acme = 20;
    private const long Ci = 30;

    private static readonly CollectionPath AcmePath = CollectionPath.Parse("/orgs/acme");
    private static readonly CollectionPath PaymentsPath = CollectionPath.Parse("/orgs/acme/payments");
    private static readonly CollectionPath ApiPath = CollectionPath.Parse("/orgs/acme/payments/api");
    private static readonly CollectionPath ShopPath = CollectionPath.Parse("/orgs/acme/shop");

    [Fact]
    public void Grant_InheritsDownTheTree_NotUpNorSideways()
    {
        var alice = UserPrincipal(Alice);
        CollectionGrant[] grants = [new(new(CollectionSubjectKind.User, Alice), CollectionRole.ViewOnly, PaymentsPath)];

        Assert.True(CollectionAccess.Holds(alice, Operation.ContainerView, PaymentsPath, grants));
        Assert.True(CollectionAccess.Holds(alice, Operation.ContainerView, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ContainerView, AcmePath, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ContainerView, ShopPath, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ContainerView, CollectionPath.Root, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ContainerView, CollectionPath.Parse("/orgs/acme/payments-old"), grants));
    }

    [Fact]
    public void Roles_AllowTheirOperationsOnly_AndGrantsAddUp()
    {
        var alice = UserPrincipal(Alice);
        CollectionGrant[] grants =
        [
            new(new(CollectionSubjectKind.User, Alice), CollectionRole.RestrictedControl, PaymentsPath),
            new(new(CollectionSubjectKind.User, Alice), CollectionRole.Scheduler, AcmePath),
        ];

        Assert.True(CollectionAccess.Holds(alice, Operation.ServiceUpdate, ApiPath, grants));
        Assert.True(CollectionAccess.Holds(alice, Operation.NodeSchedule, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ContainerExec, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ContainerCreatePrivileged, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ServiceUpdate, ShopPath, grants));
        Assert.True(CollectionAccess.Holds(alice, Operation.NodeSchedule, ShopPath, grants));
    }

    [Fact]
    public void BuiltInRoles_NestAsDocumented()
    {
        Assert.True(CollectionRole.ViewOnly.Operations.IsSubsetOf(CollectionRole.RestrictedControl.Operations));
        Assert.True(CollectionRole.RestrictedControl.Operations.IsProperSubsetOf(CollectionRole.FullControl.Operations));
        Assert.True(CollectionRole.FullControl.Allows(Operation.ContainerExec));
        Assert.False(CollectionRole.RestrictedControl.Allows(Operation.ContainerExec));
        Assert.False(CollectionRole.RestrictedControl.Allows(Operation.ContainerCreatePrivileged));
        Assert.False(CollectionRole.Scheduler.Allows(Operation.ServiceUpdate));
        Assert.Empty(CollectionRole.None.Operations);
        Assert.All(CollectionRole.FullControl.Operations, o => Assert.True(OperationKinds.IsControlPlane(OperationKinds.KindOf(o))));
    }

    [Fact]
    public void CustomRole_IsItsOperations_AndRefusesRegistryOperations()
    {
        var logs = CollectionRole.Custom("log-reader", [Operation.ContainerView, Operation.ContainerLogs]);
        CollectionGrant[] grants = [new(new(CollectionSubjectKind.User, Alice), logs, AcmePath)];

        Assert.True(CollectionAccess.Holds(UserPrincipal(Alice), Operation.ContainerLogs, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(UserPrincipal(Alice), Operation.ContainerOperate, ApiPath, grants));
        Assert.Throws<ArgumentException>(() => CollectionRole.Custom("sneaky", [Operation.ContainerView, Operation.RepositoryPush]));
    }

    [Fact]
    public void TeamOrganizationAndServiceAccountGrants_ReachTheirMembersOnly()
    {
        var alice = UserPrincipal(Alice, teams: [Payments], organizations: [Acme]);
        var bob = UserPrincipal(Bob);
        var ci = new CollectionPrincipal { IsActive = true, ServiceAccountId = Ci };
        CollectionGrant[] grants =
        [
            new(new(CollectionSubjectKind.Team, Payments), CollectionRole.FullControl, PaymentsPath),
            new(new(CollectionSubjectKind.Organization, Acme), CollectionRole.ViewOnly, AcmePath),
            new(new(CollectionSubjectKind.ServiceAccount, Ci), CollectionRole.RestrictedControl, ShopPath),
        ];

        Assert.True(CollectionAccess.Holds(alice, Operation.ContainerExec, ApiPath, grants));
        Assert.True(CollectionAccess.Holds(alice, Operation.ServiceView, ShopPath, grants));
        Assert.False(CollectionAccess.Holds(alice, Operation.ServiceUpdate, ShopPath, grants));
        Assert.False(CollectionAccess.Holds(bob, Operation.ServiceView, ShopPath, grants));
        Assert.True(CollectionAccess.Holds(ci, Operation.StackDeploy, ShopPath, grants));
        Assert.False(CollectionAccess.Holds(ci, Operation.StackDeploy, PaymentsPath, grants));

        // Ids of different subject kinds never collide: user 10 is not team 10.
        Assert.False(CollectionAccess.Holds(UserPrincipal(Payments), Operation.ContainerExec, ApiPath, grants));
    }

    [Fact]
    public void Deactivated_Anonymous_Scoped_GetNothing_AdministratorsEverything()
    {
        CollectionGrant[] grants = [new(new(CollectionSubjectKind.User, Alice), CollectionRole.FullControl, CollectionPath.Root)];

        Assert.True(CollectionAccess.Holds(UserPrincipal(Alice), Operation.NodeManage, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(UserPrincipal(Alice) with { IsActive = false }, Operation.ContainerView, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(CollectionPrincipal.Nobody, Operation.ContainerView, ApiPath, grants));
        Assert.False(CollectionAccess.Holds(UserPrincipal(Alice) with { HasTokenScopes = true }, Operation.ContainerView, ApiPath, grants));

        var admin = UserPrincipal(Bob) with { IsAdministrator = true };
        Assert.True(CollectionAccess.Holds(admin, Operation.NodeManage, ApiPath, []));
        Assert.False(CollectionAccess.Holds(admin with { HasTokenScopes = true }, Operation.ContainerView, ApiPath, []));
        Assert.False(CollectionAccess.Holds(admin with { IsActive = false }, Operation.ContainerView, ApiPath, []));

        // Registry operations are never decided by collections, not even for administrators.
        Assert.False(CollectionAccess.Holds(admin, Operation.RepositoryPull, ApiPath, []));
    }

    private static CollectionPrincipal UserPrincipal(long userId, long[]? teams = null, long[]? organizations = null) => new()
    {
        IsActive = true,
        UserId = userId,
        TeamIds = (teams ?? []).ToHashSet(),
        OrganizationIds = (organizations ?? []).ToHashSet(),
    };
}
