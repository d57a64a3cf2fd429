namespace Dockyard.Server.Webhooks;

/// <summary>The payload's <c>actor</c>: who caused the event.</summary>
/// <param name="Kind"><c>user</c> or <c>service_account</c>.</param>
/// <param name="Name">Username, or <c>organization/service-account</c>.</param>
internal sealed record WebhookActor(string Kind, string Name);
