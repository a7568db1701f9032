using GrowthBrain.Errors;

namespace GrowthBrain.Integrations;

/// <summary>
/// A CRM refused a call or answered something unreadable, after the connector's own retries. The message says
/// which CRM, what it answered and what to do ("HubSpot refused the token (401): create a new private-app token
/// and set Crm:HubSpot:AccessToken"). <see cref="Retryable"/> separates a CRM that is down or limiting (try later)
/// from one that refuses the request (a person must act).
/// </summary>
public sealed class CrmException(string message, bool retryable = false, int? status = null, Exception? inner = null)
    : DomainException(message, ErrorKind.Upstream, "The CRM refused", inner)
{
    public bool Retryable { get; } = retryable;

    /// <summary>The HTTP status the CRM answered, when it answered.</summary>
    public int? Status { get; } = status;
}

/// <summary>A webhook call that is forged, stale or unreadable. Answered 403 (signature, age, token) or 400 (body).</summary>
public sealed class CrmWebhookRejectedException(string message, bool badSignature)
    : DomainException(message, badSignature ? ErrorKind.Forbidden : ErrorKind.Invalid, badSignature ? "Webhook signature refused" : "Webhook unreadable")
{
    public bool BadSignature { get; } = badSignature;
}
