using System;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// Deep sleep with wake on the button (EXT0, one RTC pin, level low), the door contact (EXT1) and the
    /// RTC timer. StartDeepSleep never returns: the runtime restarts from Main on wake.
    /// </summary>
    public sealed class Esp32Power : IPower
    {
        private readonly int _buttonPin;
        private readonly int _doorPin;

        public Esp32Power(int buttonPin, int doorPin)
        {
            _buttonPin = buttonPin;
            _doorPin = doorPin;
        }

        public WakeCause LastWakeCause
        {
            get
            {
                Sleep.WakeupCause cause = Sleep.GetWakeupCause();
                if (cause == Sleep.WakeupCause.Ext0)
                {
                    return WakeCause.Button;
                }

                if (cause == Sleep.WakeupCause.Ext1)
                {
                    return WakeCause.Door;
                }

                if (cause == Sleep.WakeupCause.Timer)
                {
                    return WakeCause.Timer;
                }

                return WakeCause.PowerOn;
            }
        }

        public void DeepSleep(WakeSources sources, long timerMilliseconds)
        {
            if ((sources & WakeSources.Button) != 0)
            {
                Sleep.EnableWakeupByPin(RtcPins.ToWakeupPin(_buttonPin), 0);
            }

            if ((sources & WakeSources.Door) != 0 && _doorPin >= 0)
            {
                Sleep.EnableWakeupByMultiPins(RtcPins.ToWakeupPin(_doorPin), Sleep.WakeupMode.AllLow);
            }

            if ((sources & WakeSources.Timer) != 0)
            {
                Sleep.EnableWakeupByTimer(TimeSpan.FromMilliseconds(timerMilliseconds));
            }

            Sleep.StartDeepSleep();
        }

        public void Reboot()
        {
            Power.RebootDevice(RebootOption.NormalReboot);
        }
    }
}
