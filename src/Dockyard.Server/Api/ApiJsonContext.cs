using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Server.Ldap;

namespace Dockyard.Server.Api;

/// <summary>
/// Source-generated JSON metadata for the management API's request bodies (and the container views, which are large lists). The request delegate generator asks for
/// every body type's metadata while the endpoints are built, i.e. during start-up; the reflection resolver spent
/// ~140 ms of CPU there (it emits accessors per type). A body type missing here still works, through that fallback.
/// <see cref="LdapSettings"/> (and <see cref="LdapEndpoints.LdapTestRequest"/>, which holds one) stay on the fallback
/// on purpose: the generated code sets every <c>init</c> property the body leaves out to its type's default,
/// overwriting the initializers (<c>UserFilter</c>, <c>SyncInterval</c>, …) that a partial body relies on.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CollectionGrantEndpoints.CollectionGrantRequest))]
[JsonSerializable(typeof(Control.Containers.ContainerActionResult))]
[JsonSerializable(typeof(Control.Containers.ContainerInspection))]
[JsonSerializable(typeof(Control.Containers.ContainerList))]
[JsonSerializable(typeof(EngineEndpoints.EngineRequest))]
[JsonSerializable(typeof(EngineImageEndpoints.ImagePullBody))]
[JsonSerializable(typeof(Control.Stats.ContainerStatsView))]
[JsonSerializable(typeof(Control.Stacks.Status.StackStatsView))]
[JsonSerializable(typeof(Control.Stacks.Status.StackTaskList))]
[JsonSerializable(typeof(ImmutabilityRuleEndpoints.ImmutabilityRuleRequest))]
[JsonSerializable(typeof(MeEndpoints.ChangePasswordRequest))]
[JsonSerializable(typeof(NodeEndpoints.NodeList))]
[JsonSerializable(typeof(NodeEndpoints.NodePatchRequest))]
[JsonSerializable(typeof(NodeEndpoints.RotateRequest))]
[JsonSerializable(typeof(Control.Nodes.NodeDetailsView))]
[JsonSerializable(typeof(Control.Nodes.NodeView))]
[JsonSerializable(typeof(Control.Nodes.SwarmJoinView))]
[JsonSerializable(typeof(OrganizationEndpoints.CreateOrganizationRequest))]
[JsonSerializable(typeof(OrganizationEndpoints.UpdateOrganizationRequest))]
[JsonSerializable(typeof(OrganizationMemberEndpoints.AddMemberRequest))]
[JsonSerializable(typeof(OrganizationMemberEndpoints.UpdateMemberRequest))]
[JsonSerializable(typeof(PersonalTokenEndpoints.CreateTokenRequest))]
[JsonSerializable(typeof(QuotaEndpoints.QuotaRequest))]
[JsonSerializable(typeof(RepositoryEndpoints.GrantRequest))]
[JsonSerializable(typeof(RepositoryEndpoints.CreateRepositoryRequest))]
[JsonSerializable(typeof(RepositoryEndpoints.UpdateRepositoryRequest))]
[JsonSerializable(typeof(RetentionEndpoints.RetentionPolicyRequest))]
[JsonSerializable(typeof(ServiceAccountEndpoints.CreateServiceAccountRequest))]
[JsonSerializable(typeof(ServiceAccountEndpoints.UpdateServiceAccountRequest))]
[JsonSerializable(typeof(SigningEndpoints.SignatureRequest))]
[JsonSerializable(typeof(Trust.Signing.SignatureView))]
[JsonSerializable(typeof(StackEndpoints.StackBody))]
[JsonSerializable(typeof(StackEndpoints.RollbackBody))]
[JsonSerializable(typeof(StackEndpoints.RedeployBody))]
[JsonSerializable(typeof(StackEndpoints.AdoptBody))]
[JsonSerializable(typeof(StackEndpoints.ScaleBody))]
[JsonSerializable(typeof(StackEndpoints.RevisionList))]
[JsonSerializable(typeof(Control.Stacks.StackListView))]
[JsonSerializable(typeof(Control.Stacks.StackDetailView))]
[JsonSerializable(typeof(Control.Stacks.StackDeployResult))]
[JsonSerializable(typeof(Control.Stacks.StackRedeployResult))]
[JsonSerializable(typeof(Control.Stacks.StackRemoval))]
[JsonSerializable(typeof(Control.Stacks.StackRevisionView))]
[JsonSerializable(typeof(Control.Stacks.StackDiffView))]
[JsonSerializable(typeof(Control.Stacks.StackServiceView))]
[JsonSerializable(typeof(SystemEndpoints.GarbageCollectionBody))]
[JsonSerializable(typeof(ServerStatus.SystemStatus))]
[JsonSerializable(typeof(TeamEndpoints.CreateTeamRequest))]
[JsonSerializable(typeof(TrustPolicyEndpoints.TrustPolicyRequest))]
[JsonSerializable(typeof(TeamEndpoints.UpdateTeamRequest))]
[JsonSerializable(typeof(UserEndpoints.CreateUserRequest))]
[JsonSerializable(typeof(UserEndpoints.ResetPasswordRequest))]
[JsonSerializable(typeof(UserEndpoints.UpdateUserRequest))]
[JsonSerializable(typeof(WebhookEndpoints.WebhookRequest))]
[JsonSerializable(typeof(WebhookEndpoints.RedeliverRequest))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
