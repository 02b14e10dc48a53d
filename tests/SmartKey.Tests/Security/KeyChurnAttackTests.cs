using System;
using System.Linq;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Item 10: years of guests (or an owner's compromised app) churn key ids; the owner must keep managing keys.</summary>
public class KeyChurnAttackTests
{
    [Fact]
    public void ThreeHundredGuestsAddedAndRevokedNeitherBreakListKeysNorExhaustAddGuest()
    {
        var lab = new Lab();
        var owner = lab.Owner!;
        Credential? last = null;
        for (int batch = 0; batch < 10; batch++)
        {
            last = lab.WithSession(owner, s =>
            {
                Credential? g = null;
                for (int i = 0; i < 30; i++)
                {
                    g = s.AddGuest(null, null);
                    s.Revoke(g.BindingId);
                }

                return g;
            });
        }

        // 300 guests later: the key list still reads (page by page, each message under 1,024 bytes)...
        var keys = lab.WithSession(owner, s => s.ListKeys());
        Assert.Equal(keys.Select(k => k.Id).Distinct().Count(), keys.Count);
        Assert.Equal(254, keys.Count);
        Assert.Single(keys, k => !k.Revoked);
        // ...and a new guest still gets a key, under a reused id, that opens while the old holder's does not.
        var guest = lab.WithSession(owner, s => s.AddGuest(null, null));
        Assert.Equal(ErrorCode.Ok, Open(lab, guest));
        Assert.Equal(ErrorCode.AuthenticationFailed, Open(lab, last! with { BindingId = guest.BindingId }));
        var staleHolder = new Credential(Lab.Serial, guest.BindingId, 2, last!.Key);
        Assert.Equal(ErrorCode.AuthenticationFailed, Open(lab, staleHolder));
    }

    private static byte Open(Lab lab, Credential c)
    {
        lab.Device.Advance(1500);
        var phone = lab.NewPhone();
        lab.Device.Touch();
        phone.Connect();
        try
        {
            phone.Open(c, CommandId.Status, Array.Empty<byte>(), out _);
            return ErrorCode.Ok;
        }
        catch (PhoneException e)
        {
            return e.Code;
        }
        finally
        {
            phone.Disconnect();
        }
    }
}
