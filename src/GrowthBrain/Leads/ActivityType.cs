namespace GrowthBrain.Leads;

/// <summary>A touch between the team and a lead, as CRMs record them.</summary>
public enum ActivityType
{
    EmailSent = 0,
    EmailOpened = 1,
    EmailClicked = 2,
    EmailReplied = 3,
    Call = 4,
    Meeting = 5,
    PageView = 6,
    FormSubmission = 7,
    Note = 8,
}
