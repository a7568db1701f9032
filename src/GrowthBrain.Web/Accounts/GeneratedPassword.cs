using System.Security.Cryptography;

namespace GrowthBrain.Web.Accounts;

/// <summary>A password an admin hands to a new person: long and random, from letters and digits that are hard to misread.</summary>
public static class GeneratedPassword
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";

    // 20 characters from 54: about 115 bits, far past the 12-character minimum sign-in asks for.
    public static string New(int length = 20) => RandomNumberGenerator.GetString(Alphabet, length);
}
