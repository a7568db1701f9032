namespace GrowthBrain.Synthetic;

/// <summary>The CRM whose export a synthetic CSV imitates: its column headings, date format and status words.</summary>
public enum CrmExportStyle { HubSpot, Salesforce, Zoho, Pipedrive }

internal enum ExportField
{
    Id, FirstName, LastName, FullName, Email, Phone, Company, JobTitle, Industry, Employees, Revenue, Country,
    Source, Campaign, Stage, Status, Owner, Created, LastActivity, LastActivityDate, WonAt, LostAt, DealValue, DealStatus,
    SalesActivities, TotalActivities, EmailsSent, EmailsOpened, EmailsClicked, EmailsReplied, Meetings, PageViews,
    FormSubmissions, Notes, Gender, Age, PreferredContactMethod, EmployeesBand,
}

internal sealed record CrmExportColumn(string Heading, ExportField Field);

/// <summary>
/// Headings as each CRM writes them in its standard export. Fields the CRM has no standard property
/// for (engagement counts, gender, age) are named the way an admin would name a custom field there.
/// </summary>
internal sealed record CrmExportLayout(
    CrmExportStyle Style,
    CrmExportColumn[] Columns,
    string DateTimeFormat,
    string DateFormat,
    ExportField DirtyDateField,
    ExportField DirtyCountField)
{
    public static CrmExportLayout For(CrmExportStyle style) => style switch
    {
        CrmExportStyle.HubSpot => HubSpot,
        CrmExportStyle.Salesforce => Salesforce,
        CrmExportStyle.Zoho => Zoho,
        CrmExportStyle.Pipedrive => Pipedrive,
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown CRM export style."),
    };

    private static readonly CrmExportLayout HubSpot = new(
        CrmExportStyle.HubSpot,
        [
            new("Record ID", ExportField.Id),
            new("First Name", ExportField.FirstName),
            new("Last Name", ExportField.LastName),
            new("Email", ExportField.Email),
            new("Phone Number", ExportField.Phone),
            new("Company Name", ExportField.Company),
            new("Job Title", ExportField.JobTitle),
            new("Industry", ExportField.Industry),
            new("Number of Employees", ExportField.Employees),
            new("Annual Revenue", ExportField.Revenue),
            new("Country/Region", ExportField.Country),
            new("Original Source", ExportField.Source),
            new("First Touch Converting Campaign", ExportField.Campaign),
            new("Lifecycle Stage", ExportField.Stage),
            new("Lead Status", ExportField.Status),
            new("Contact owner", ExportField.Owner),
            new("Create Date", ExportField.Created),
            new("Last Activity Date", ExportField.LastActivity),
            new("Became a Customer Date", ExportField.WonAt),
            new("Recent Deal Amount", ExportField.DealValue),
            new("Number of Sales Activities", ExportField.SalesActivities),
            new("Marketing emails delivered", ExportField.EmailsSent),
            new("Marketing emails opened", ExportField.EmailsOpened),
            new("Marketing emails clicked", ExportField.EmailsClicked),
            new("Marketing emails replied", ExportField.EmailsReplied),
            new("Number of Pageviews", ExportField.PageViews),
            new("Number of Form Submissions", ExportField.FormSubmissions),
            new("Meetings Booked", ExportField.Meetings),
            new("Message", ExportField.Notes),
            new("Preferred Contact Method", ExportField.PreferredContactMethod),
            new("Number of Employees Band", ExportField.EmployeesBand),
            new("Age", ExportField.Age),
            new("Gender", ExportField.Gender),
        ],
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm",
        ExportField.Created,
        ExportField.SalesActivities);

    private static readonly CrmExportLayout Salesforce = new(
        CrmExportStyle.Salesforce,
        [
            new("Lead ID", ExportField.Id),
            new("First Name", ExportField.FirstName),
            new("Last Name", ExportField.LastName),
            new("Email", ExportField.Email),
            new("Phone", ExportField.Phone),
            new("Company", ExportField.Company),
            new("Title", ExportField.JobTitle),
            new("Industry", ExportField.Industry),
            new("No. of Employees", ExportField.Employees),
            new("Annual Revenue", ExportField.Revenue),
            new("Country", ExportField.Country),
            new("Lead Source", ExportField.Source),
            new("Campaign Name", ExportField.Campaign),
            new("Lead Status", ExportField.Status),
            new("Lead Owner", ExportField.Owner),
            new("Create Date", ExportField.Created),
            new("Last Activity", ExportField.LastActivityDate),
            new("Converted Date", ExportField.WonAt),
            new("Emails Opened", ExportField.EmailsOpened),
            new("Emails Clicked", ExportField.EmailsClicked),
            new("Email Replies", ExportField.EmailsReplied),
            new("Meetings Held", ExportField.Meetings),
            new("Web Page Views", ExportField.PageViews),
            new("Form Submissions", ExportField.FormSubmissions),
            new("Preferred Contact Method", ExportField.PreferredContactMethod),
            new("Gender", ExportField.Gender),
            new("Age", ExportField.Age),
            new("Description", ExportField.Notes),
        ],
        "MM/dd/yyyy",
        "MM/dd/yyyy",
        ExportField.Created,
        ExportField.Employees);

    private static readonly CrmExportLayout Zoho = new(
        CrmExportStyle.Zoho,
        [
            new("Record Id", ExportField.Id),
            new("First Name", ExportField.FirstName),
            new("Last Name", ExportField.LastName),
            new("Email", ExportField.Email),
            new("Phone", ExportField.Phone),
            new("Company", ExportField.Company),
            new("Designation", ExportField.JobTitle),
            new("Industry", ExportField.Industry),
            new("No. of Employees", ExportField.Employees),
            new("Annual Revenue", ExportField.Revenue),
            new("Country", ExportField.Country),
            new("Lead Source", ExportField.Source),
            new("Campaign Source", ExportField.Campaign),
            new("Lead Status", ExportField.Status),
            new("Lead Owner", ExportField.Owner),
            new("Created Time", ExportField.Created),
            new("Last Activity Time", ExportField.LastActivity),
            new("Emails Opened", ExportField.EmailsOpened),
            new("Emails Clicked", ExportField.EmailsClicked),
            new("Email Replies", ExportField.EmailsReplied),
            new("Meetings", ExportField.Meetings),
            new("Page Views", ExportField.PageViews),
            new("Form Submissions", ExportField.FormSubmissions),
            new("Gender", ExportField.Gender),
            new("Age", ExportField.Age),
            new("Preferred Contact Method", ExportField.PreferredContactMethod),
            new("Description", ExportField.Notes),
        ],
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss",
        ExportField.Created,
        ExportField.Employees);

    private static readonly CrmExportLayout Pipedrive = new(
        CrmExportStyle.Pipedrive,
        [
            new("Person - ID", ExportField.Id),
            new("Person - Name", ExportField.FullName),
            new("Person - Email", ExportField.Email),
            new("Person - Phone", ExportField.Phone),
            new("Organization - Name", ExportField.Company),
            new("Person - Job title", ExportField.JobTitle),
            new("Organization - Industry", ExportField.Industry),
            new("Organization - Number of employees", ExportField.Employees),
            new("Organization - Annual revenue", ExportField.Revenue),
            new("Organization - Address - Country", ExportField.Country),
            new("Lead - Source", ExportField.Source),
            new("Deal - Campaign", ExportField.Campaign),
            new("Deal - Stage", ExportField.Stage),
            new("Deal - Value", ExportField.DealValue),
            new("Deal - Status", ExportField.DealStatus),
            new("Deal - Owner", ExportField.Owner),
            new("Deal - Deal created", ExportField.Created),
            new("Deal - Won time", ExportField.WonAt),
            new("Deal - Lost time", ExportField.LostAt),
            new("Person - Last activity date", ExportField.LastActivityDate),
            new("Deal - Total activities", ExportField.TotalActivities),
            new("Person - Email messages count", ExportField.EmailsSent),
            new("Person - Emails opened", ExportField.EmailsOpened),
            new("Person - Emails clicked", ExportField.EmailsClicked),
            new("Person - Email replies", ExportField.EmailsReplied),
            new("Person - Meetings", ExportField.Meetings),
            new("Person - Web visits", ExportField.PageViews),
            new("Person - Form submissions", ExportField.FormSubmissions),
            new("Person - Gender", ExportField.Gender),
            new("Person - Age", ExportField.Age),
            new("Person - Notes", ExportField.Notes),
        ],
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd",
        ExportField.Created,
        ExportField.TotalActivities);

    public int IndexOf(ExportField field) => Array.FindIndex(Columns, c => c.Field == field);
}
