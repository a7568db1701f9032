using System.Text;

namespace GrowthBrain.Leads.Import;

/// <summary>
/// Knows the column headings of HubSpot, Salesforce, Zoho CRM and Pipedrive exports (and the common
/// variants people type by hand), so a raw export imports without a mapping file.
/// </summary>
public static class LeadHeaderRecognizer
{
    // Keys are headings folded to lower-case letters and digits ("Country/Region" -> "countryregion").
    private static readonly Dictionary<string, LeadField> Known = new()
    {
        // Record ids: HubSpot "Record ID", Salesforce "Lead ID", Zoho "Record Id", Pipedrive "ID".
        ["recordid"] = LeadField.ExternalId, ["leadid"] = LeadField.ExternalId, ["id"] = LeadField.ExternalId,
        ["contactid"] = LeadField.ExternalId, ["personid"] = LeadField.ExternalId, ["externalid"] = LeadField.ExternalId,
        ["hubspotid"] = LeadField.ExternalId, ["salesforceid"] = LeadField.ExternalId, ["zohoid"] = LeadField.ExternalId,

        ["firstname"] = LeadField.FirstName, ["first"] = LeadField.FirstName, ["givenname"] = LeadField.FirstName,
        ["lastname"] = LeadField.LastName, ["last"] = LeadField.LastName, ["surname"] = LeadField.LastName, ["familyname"] = LeadField.LastName,
        ["name"] = LeadField.FullName, ["fullname"] = LeadField.FullName, ["leadname"] = LeadField.FullName,
        ["contactname"] = LeadField.FullName, ["personname"] = LeadField.FullName,

        ["email"] = LeadField.Email, ["emailaddress"] = LeadField.Email, ["email1"] = LeadField.Email, ["emailwork"] = LeadField.Email,
        ["primaryemail"] = LeadField.Email, ["workemail"] = LeadField.Email, ["businessemail"] = LeadField.Email,

        ["phone"] = LeadField.Phone, ["phonenumber"] = LeadField.Phone, ["mobile"] = LeadField.Phone,
        ["mobilephone"] = LeadField.Phone, ["mobilephonenumber"] = LeadField.Phone, ["phonework"] = LeadField.Phone,
        ["workphone"] = LeadField.Phone, ["businessphone"] = LeadField.Phone, ["telephone"] = LeadField.Phone,

        ["company"] = LeadField.Company, ["companyname"] = LeadField.Company, ["account"] = LeadField.Company,
        ["accountname"] = LeadField.Company, ["organization"] = LeadField.Company, ["organizationname"] = LeadField.Company,
        ["organisation"] = LeadField.Company, ["organisationname"] = LeadField.Company,

        ["jobtitle"] = LeadField.JobTitle, ["title"] = LeadField.JobTitle, ["designation"] = LeadField.JobTitle,
        ["position"] = LeadField.JobTitle, ["role"] = LeadField.JobTitle,

        ["industry"] = LeadField.Industry, ["sector"] = LeadField.Industry,

        ["numberofemployees"] = LeadField.CompanySize, ["noofemployees"] = LeadField.CompanySize, ["employees"] = LeadField.CompanySize,
        ["companysize"] = LeadField.CompanySize, ["employeecount"] = LeadField.CompanySize, ["headcount"] = LeadField.CompanySize,

        ["annualrevenue"] = LeadField.AnnualRevenue, ["revenue"] = LeadField.AnnualRevenue,

        ["country"] = LeadField.Country, ["countryregion"] = LeadField.Country, ["mailingcountry"] = LeadField.Country,
        ["city"] = LeadField.City, ["mailingcity"] = LeadField.City,

        ["leadsource"] = LeadField.Source, ["source"] = LeadField.Source, ["originalsource"] = LeadField.Source,
        ["sourcechannel"] = LeadField.Source, ["channel"] = LeadField.Source, ["origin"] = LeadField.Source,

        ["campaign"] = LeadField.Campaign, ["campaignname"] = LeadField.Campaign, ["utmcampaign"] = LeadField.Campaign,
        ["campaignsource"] = LeadField.Campaign,

        ["leadowner"] = LeadField.Owner, ["contactowner"] = LeadField.Owner, ["owner"] = LeadField.Owner,
        ["ownername"] = LeadField.Owner, ["dealowner"] = LeadField.Owner, ["recordowner"] = LeadField.Owner,
        ["salesrep"] = LeadField.Owner, ["assignedto"] = LeadField.Owner,

        ["lifecyclestage"] = LeadField.Stage, ["stage"] = LeadField.Stage, ["dealstage"] = LeadField.Stage,
        // Salesforce's opportunity outcome (won, lost, open) on leads and contacts: a stage, as Lead Status is the status.
        ["pipelinestage"] = LeadField.Stage, ["opportunitystatus"] = LeadField.Stage,
        ["leadstatus"] = LeadField.Status, ["hsleadstatus"] = LeadField.Status, ["status"] = LeadField.Status,

        ["outcome"] = LeadField.Outcome, ["converted"] = LeadField.Outcome, ["isconverted"] = LeadField.Outcome,
        ["won"] = LeadField.Outcome, ["dealstatus"] = LeadField.Outcome, ["result"] = LeadField.Outcome,

        ["amount"] = LeadField.DealValue, ["dealvalue"] = LeadField.DealValue, ["value"] = LeadField.DealValue,
        ["dealamount"] = LeadField.DealValue, ["expectedrevenue"] = LeadField.DealValue,

        ["createdate"] = LeadField.CreatedAt, ["createddate"] = LeadField.CreatedAt, ["createdtime"] = LeadField.CreatedAt,
        ["created"] = LeadField.CreatedAt, ["createdon"] = LeadField.CreatedAt, ["createdat"] = LeadField.CreatedAt,
        ["leadcreated"] = LeadField.CreatedAt, ["dealcreated"] = LeadField.CreatedAt, ["addtime"] = LeadField.CreatedAt,

        ["lastactivitydate"] = LeadField.LastActivityAt, ["lastactivity"] = LeadField.LastActivityAt,
        ["lastactivitytime"] = LeadField.LastActivityAt, ["lastcontacted"] = LeadField.LastActivityAt,
        ["lastengagementdate"] = LeadField.LastActivityAt,

        ["closedate"] = LeadField.ClosedAt, ["closeddate"] = LeadField.ClosedAt, ["closetime"] = LeadField.ClosedAt,
        ["becameacustomerdate"] = LeadField.WonAt, ["converteddate"] = LeadField.WonAt, ["wontime"] = LeadField.WonAt,
        ["dateconverted"] = LeadField.WonAt, ["losttime"] = LeadField.LostAt,

        ["notes"] = LeadField.Notes, ["note"] = LeadField.Notes, ["description"] = LeadField.Notes, ["message"] = LeadField.Notes,
        ["comments"] = LeadField.Notes,

        // Consent as HubSpot, Salesforce and hand-made exports name it.
        ["consent"] = LeadField.Consent, ["gdprconsent"] = LeadField.Consent, ["consentstatus"] = LeadField.Consent,
        ["marketingconsent"] = LeadField.Consent, ["emailconsent"] = LeadField.Consent, ["emailoptin"] = LeadField.Consent,
        ["lawfulbasis"] = LeadField.LawfulBasis, ["legalbasis"] = LeadField.LawfulBasis, ["gdprlawfulbasis"] = LeadField.LawfulBasis,
        ["legalbasisforprocessing"] = LeadField.LawfulBasis, ["legalbasisforprocessingcontactsdata"] = LeadField.LawfulBasis,
        ["lawfulbasisforprocessing"] = LeadField.LawfulBasis,
        ["consentdate"] = LeadField.ConsentAt, ["consentat"] = LeadField.ConsentAt, ["consenttimestamp"] = LeadField.ConsentAt,
        ["gdprconsentdate"] = LeadField.ConsentAt, ["consentgivenat"] = LeadField.ConsentAt,
    };

    // Pipedrive prefixes every heading with its object: "Person - Email", "Organization - Name", "Deal - Value".
    private static readonly string[] PipedrivePrefixes = ["person - ", "organization - ", "organisation - ", "deal - ", "lead - "];

    public static LeadField Recognize(string heading)
    {
        var trimmed = heading.Trim();
        var lower = trimmed.ToLowerInvariant();
        foreach (var prefix in PipedrivePrefixes)
        {
            if (!lower.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = Fold(trimmed[prefix.Length..]);
            if (prefix.StartsWith("organi", StringComparison.Ordinal))
            {
                return rest == "name" ? LeadField.Company : LeadField.Custom;
            }
            if (prefix == "deal - " && rest == "title") return LeadField.Custom;
            if (prefix == "deal - " && rest == "status") return LeadField.Outcome;
            // "Person - Email - Work" -> "emailwork"
            return Known.TryGetValue(rest, out var f) ? f : LeadField.Custom;
        }
        return Known.TryGetValue(Fold(trimmed), out var field) ? field : LeadField.Custom;
    }

    /// <summary>The heading folded to lower-case letters and digits: how headings are compared.</summary>
    public static string Fold(string heading)
    {
        var sb = new StringBuilder(heading.Length);
        foreach (var c in heading)
        {
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>
    /// A column whose heading says it counts something ("Number of Sales Activities", "Page views count"):
    /// its values must be whole numbers of zero or more.
    /// </summary>
    public static bool IsCountHeading(string heading)
    {
        var lower = heading.Trim().ToLowerInvariant();
        // Pipedrive's "Deal - Total activities": judge the part after the object prefix.
        if (lower.LastIndexOf(" - ", StringComparison.Ordinal) is var dash and >= 0) lower = lower[(dash + 3)..];
        // "Number of Employees Band" holds ranges such as 51-200, not counts.
        if (lower.Contains("band") || lower.Contains("range") || lower.Contains("bucket") || lower.Contains("bracket")) return false;
        return lower.StartsWith("number of", StringComparison.Ordinal) || lower.StartsWith("no. of", StringComparison.Ordinal)
            || lower.StartsWith("# of", StringComparison.Ordinal) || lower.StartsWith("num ", StringComparison.Ordinal)
            || lower.StartsWith("total ", StringComparison.Ordinal) || lower.StartsWith("count of", StringComparison.Ordinal)
            || lower.EndsWith(" count", StringComparison.Ordinal);
    }
}
