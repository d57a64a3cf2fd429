namespace Dockyard.Server.Webhooks;

/// <summary>Thrown by <see cref="WebhookConnector"/> when a destination's name or address is refused by <see cref="WebhookDestinationPolicy"/>.</summary>
internal sealed class WebhookDestinationDeniedException : Exception
{
    public WebhookDestinationDeniedException()
        : base("The webhook destination is not allowed.")
    {
    }

    public WebhookDestinationDeniedException(string message)
        : base(message)
    {
    }

    public WebhookDestinationDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
