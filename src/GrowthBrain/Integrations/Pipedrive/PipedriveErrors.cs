namespace GrowthBrain.Integrations.Pipedrive;

/// <summary>
/// Turns Pipedrive's error answers ({"success":false,"error":"...","errorCode":401,"error_info":"..."}) into messages
/// that say what Pipedrive said and what to do.
/// </summary>
public static class PipedriveErrors
{
    public const string TokenAdvice = "copy the personal API token from Pipedrive (Settings > Personal preferences > API) of a user who can see " +
        "and edit all persons, and set it on the Integrations page or in Crm:Pipedrive:ApiToken";

    public static CrmException Exception(PipedriveAnswer a)
    {
        var said = Said(a);
        return a.Status switch
        {
            401 => new CrmException($"Pipedrive refused the API token for {a.What} ({said}): {TokenAdvice}.", status: 401),
            402 => new CrmException($"Pipedrive refused {a.What} ({said}): the company's subscription has lapsed or lacks this feature; check its billing in Pipedrive.", status: 402),
            403 => new CrmException($"Pipedrive refused {a.What} ({said}): the token's user lacks this permission (cursor lists and custom fields need a " +
                "global admin, or access to all persons); use an admin's token.", status: 403),
            404 => new CrmException($"Pipedrive answered 404 for {a.What} ({said}): check that Crm:Pipedrive:BaseUrl is the Pipedrive API (https://api.pipedrive.com).", status: 404),
            429 => new CrmException($"Pipedrive kept limiting {a.What} ({said}), even after waiting and retrying: the token's burst limit or the company's " +
                "daily API budget is used up. Sync again later; if other apps use the same token, lower Crm:Pipedrive:BurstPer2Seconds.", retryable: true, status: 429),
            408 or >= 500 => new CrmException($"Pipedrive failed {a.What} ({said}), even after retries: it is down or overloaded; sync again later.", retryable: true, status: a.Status),
            _ when a.IsSuccess => a.Malformed($"success is false ({said})"),
            _ => new CrmException($"Pipedrive refused {a.What} ({said}).", status: a.Status),
        };
    }

    /// <summary>"401: unauthorized access" or the first bytes of a body that is not Pipedrive's error JSON.</summary>
    public static string Said(PipedriveAnswer a)
    {
        var error = a.Error;
        var info = PipedriveAnswer.Text(a.Body, "error_info");
        if (error is null) return $"{a.Status}: {PipedriveAnswer.Describe(a.Raw)}";
        return info is null ? $"{a.Status}: {error}" : $"{a.Status}: {error} ({info})";
    }
}
