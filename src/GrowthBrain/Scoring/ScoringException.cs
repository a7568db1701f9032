using GrowthBrain.Errors;
namespace GrowthBrain.Scoring;

/// <summary>Data that can't be scored or learned from, with a message that says what to fix.</summary>
public sealed class ScoringException(string message) : DomainException(message, ErrorKind.Conflict, "Not possible with the data as it is");
