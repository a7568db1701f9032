using GrowthBrain.Errors;

namespace GrowthBrain.Leads;

/// <summary>No lead the caller can see matches; the message names what was looked for.</summary>
public sealed class LeadNotFoundException(string message) : DomainException(message, ErrorKind.NotFound, "No such lead");
