using SmartKey.Firmware.Log;
using SmartKey.Hal;

namespace SmartKey.Firmware.Lock
{
    /// <summary>
    /// Drives the bolt through the H-bridge until its end-stop is reached, stops the motor and reports
    /// Jammed when that takes longer than the timeout, re-locks after the auto-lock delay (once the door is
    /// closed, where there is a door contact), and notices the bolt being moved by hand. Poll it from the
    /// main loop; it never blocks.
    /// </summary>
    public sealed class LockController
    {
        private readonly ILockMotor _motor;
        private readonly IBinaryInput _lockedEndStop;
        private readonly IBinaryInput _unlockedEndStop;
        private readonly IBinaryInput _door;
        private readonly IMonotonicClock _clock;
        private readonly int _timeoutMs;
        private long _startedAtMs;
        private long _autoLockAtMs = -1;
        private byte _trigger;
        private byte _bindingId;
        private byte _action;

        public LockController(ILockMotor motor, IBinaryInput lockedEndStop, IBinaryInput unlockedEndStop, IBinaryInput door, IMonotonicClock clock, int timeoutMs)
        {
            _motor = motor;
            _lockedEndStop = lockedEndStop;
            _unlockedEndStop = unlockedEndStop;
            _door = door;
            _clock = clock;
            _timeoutMs = timeoutMs;
            State = FromEndStops();
        }

        public event LockCompletedHandler Completed;

        /// <summary>Raised just before every Completed, for rooms that only need to know the bolt is still (battery, power).</summary>
        public event LockStoppedHandler Stopped;

        public LockState State { get; private set; }

        /// <summary>Auto-lock delay in seconds (owner setting); 0 turns auto-lock off.</summary>
        public int AutoLockDelaySeconds { get; set; }

        public bool IsMoving
        {
            get { return State == LockState.Locking || State == LockState.Unlocking; }
        }

        /// <summary>Milliseconds until the auto-lock is due, or -1 when none is scheduled.</summary>
        public long AutoLockDueInMs
        {
            get { return _autoLockAtMs < 0 ? -1 : (_autoLockAtMs > _clock.UptimeMilliseconds ? _autoLockAtMs - _clock.UptimeMilliseconds : 0); }
        }

        /// <summary>At boot, before anything else: a restart may have cut a movement short, so the motor stops.</summary>
        public void StopMotorAtBoot()
        {
            _motor.SetDrive(MotorDrive.Stop);
        }

        public LockResult Request(LockCommand command, byte trigger, byte bindingId)
        {
            if (_lockedEndStop.IsActive && _unlockedEndStop.IsActive) return LockResult.Fault;
            int decision = LockPolicy.Decide(State, command);
            if (decision == LockPolicy.Busy) return LockResult.Busy;
            byte action = command == LockCommand.Lock ? (trigger == LogTrigger.AutoLockTimer ? LogAction.AutoLock : LogAction.Lock) : LogAction.Unlock;
            if (decision == LockPolicy.AlreadyThere)
            {
                if (command == LockCommand.Unlock) ScheduleAutoLock();
                RaiseCompleted(action, trigger, bindingId, LockResult.Ok);
                return LockResult.Ok;
            }

            _action = action;
            _trigger = trigger;
            _bindingId = bindingId;
            _autoLockAtMs = -1;
            _startedAtMs = _clock.UptimeMilliseconds;
            State = command == LockCommand.Lock ? LockState.Locking : LockState.Unlocking;
            _motor.SetDrive(command == LockCommand.Lock ? MotorDrive.Extend : MotorDrive.Retract);
            return LockResult.Started;
        }

        public void Poll()
        {
            long now = _clock.UptimeMilliseconds;
            if (IsMoving)
            {
                bool reached = State == LockState.Locking ? _lockedEndStop.IsActive : _unlockedEndStop.IsActive;
                if (reached)
                {
                    _motor.SetDrive(MotorDrive.Stop);
                    State = State == LockState.Locking ? LockState.Locked : LockState.Unlocked;
                    if (State == LockState.Unlocked) ScheduleAutoLock();
                    RaiseCompleted(_action, _trigger, _bindingId, LockResult.Ok);
                }
                else if (now - _startedAtMs >= _timeoutMs)
                {
                    _motor.SetDrive(MotorDrive.Stop);
                    State = LockState.Jammed;
                    RaiseCompleted(_action, _trigger, _bindingId, LockResult.Jammed);
                }

                return;
            }

            // Moved by hand (key, thumb-turn)?
            LockState seen = FromEndStops();
            if (seen != LockState.Unknown && seen != State && State != LockState.Jammed)
            {
                State = seen;
                if (seen == LockState.Unlocked) ScheduleAutoLock();
                else _autoLockAtMs = -1;
            }

            if (State == LockState.Unlocked && _autoLockAtMs >= 0 && now >= _autoLockAtMs)
            {
                if (_door != null && !_door.IsActive)
                {
                    _autoLockAtMs = now + AutoLockDelaySeconds * 1000L;   // door open: wait until it has been closed a while
                }
                else
                {
                    Request(LockCommand.Lock, LogTrigger.AutoLockTimer, LogTrigger.NoBinding);
                }
            }
        }

        /// <summary>
        /// After a restart (deep sleep wakes the runtime afresh) an unlocked bolt gets its auto-lock again.
        /// A timer wake means the sleep was timed for it: it is due now. Any other wake (a person) restarts
        /// the delay.
        /// </summary>
        public void RearmAutoLock(bool dueNow)
        {
            if (State != LockState.Unlocked || AutoLockDelaySeconds <= 0) return;
            if (dueNow) _autoLockAtMs = _clock.UptimeMilliseconds;
            else ScheduleAutoLock();
        }

        private void ScheduleAutoLock()
        {
            _autoLockAtMs = AutoLockDelaySeconds > 0 ? _clock.UptimeMilliseconds + AutoLockDelaySeconds * 1000L : -1;
        }

        private LockState FromEndStops()
        {
            bool locked = _lockedEndStop.IsActive, unlocked = _unlockedEndStop.IsActive;
            if (locked == unlocked) return LockState.Unknown;
            return locked ? LockState.Locked : LockState.Unlocked;
        }

        private void RaiseCompleted(byte action, byte trigger, byte bindingId, LockResult result)
        {
            LockStoppedHandler stopped = Stopped;
            if (stopped != null) stopped();
            LockCompletedHandler handler = Completed;
            if (handler != null) handler(action, trigger, bindingId, result);
        }
    }
}
