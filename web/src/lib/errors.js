// Contract refusals in a player's words, amounts in token units (never raw base units).
// `decoded` is {name, args} from decodeRevert; `token` is the token the action was about (the
// errors that do not name their token are in its units); `tokenOf(address)` finds a token the
// error names. Unknown errors give null: the caller falls back to the error's name.
import { formatAmount, formatTime } from "./format.js";

const WINDOWS = ["24 hours", "7 days", "30 days"];
const PERMANENT = (1n << 40n) - 1n;

export function explainRevert(decoded, { token = null, tokenOf = () => null } = {}) {
  if (!decoded) return null;
  const args = decoded.args ?? [];
  const units = (value, of = token) => {
    const amount = BigInt(value);
    return of ? `${formatAmount(amount, of.decimals, of.decimals)} ${of.symbol}` : `${amount} base units`;
  };
  const named = (address) => tokenOf(address) ?? token;
  switch (decoded.name) {
    case "StakeOutOfRange": {
      const [stake, min, max] = args;
      return `A stake of ${units(stake)} is outside this game's range: stake ${units(min)} to ${units(max)}.`;
    }
    case "PayoutNotAboveStake": {
      const [payout, stake] = args;
      return `At this target a win would pay ${units(payout)}, no more than your stake of ${units(stake)}: choose a lower target.`;
    }
    case "BadTarget":
      return args[1]
        ? `Roll over ${args[0]} is not a target: choose one from 0 to 98.`
        : `Roll under ${args[0]} is not a target: choose one from 1 to 99.`;
    case "BadRolls":
      return `A bet plays 1 to ${args[1]} rolls, not ${args[0]}.`;
    case "BadStop":
      return `Stop-gain ${units(args[0])} or stop-loss ${units(args[1])} is beyond what this bet can win or lose: ` +
        "lower it, or leave it empty for no stop.";
    case "BadChoice":
      return "The bet's choice is not one this game understands.";
    case "BadPicks":
      return "Pick 1 to 10 different numbers from 1 to 40.";
    case "UnknownTable":
      return `Keno has no payout table ${args[0]}.`;
    case "TableDisabled":
      return `Keno's payout table ${args[0]} is closed for new bets: choose another.`;
    case "TokenNotEnabled":
      return `This game is closed for ${named(args[0])?.symbol ?? "this token"}.`;
    case "InsufficientBalance": {
      const [available, needed] = args;
      return `Your Vault balance is ${units(available)} and this needs ${units(needed)}.`;
    }
    case "InsufficientBankroll": {
      const [available, needed] = args;
      return `The bankroll holds ${units(available)} and this needs ${units(needed)}.`;
    }
    case "ExposureTooHigh": {
      const [reserve, limit] = args;
      return `The bankroll cannot back this bet right now: at best it would pay ${units(reserve)} more than your stakes ` +
        `(with the protocol fee), and open bets may reserve only ${units(limit)} more of it. ` +
        "Choose a smaller stake, fewer rolls or a likelier target.";
    }
    case "BondTooSmall": {
      const [, bondToken, free, needed] = args;
      const of = named(bondToken);
      return `The oracle's bond cannot back this bet right now: every bet reserves the most it can pay (${units(needed, of)}) ` +
        `from the bond that pays you if the oracle misses its deadline, and only ${units(free, of)} of it is free. ` +
        "Choose a smaller stake, fewer rolls or a likelier target, or try again once open bets are settled.";
    }
    case "SelfExcluded": {
      const until = BigInt(args[1]);
      return until === PERMANENT
        ? "You are permanently self-excluded: no game accepts your bets. You can always withdraw."
        : `You are self-excluded until ${formatTime(until)}: no game accepts your bets until then. You can always withdraw.`;
    }
    case "TimedOut":
      return `You are on a time-out until ${formatTime(BigInt(args[1]))}: no game accepts your bets until then. You can always withdraw.`;
    case "DepositLimitExceeded": {
      const [, limitToken, window, limit, wouldBe] = args;
      const of = named(limitToken);
      return `This would take your deposits to ${units(wouldBe, of)} in ${WINDOWS[Number(window)] ?? "the window"}, ` +
        `above your deposit limit of ${units(limit, of)}.`;
    }
    case "WagerLimitExceeded": {
      const [, limitToken, window, limit, wouldBe] = args;
      const of = named(limitToken);
      return `This would take your wagers to ${units(wouldBe, of)} in ${WINDOWS[Number(window)] ?? "the window"}, ` +
        `above your wager limit of ${units(limit, of)}.`;
    }
    case "LossLimitExceeded": {
      const [, limitToken, window, limit, wouldBe] = args;
      const of = named(limitToken);
      return `Should this bet lose, your net loss in ${WINDOWS[Number(window)] ?? "the window"} would be ${units(wouldBe, of)}, ` +
        `above your loss limit of ${units(limit, of)}.`;
    }
    case "KycRequired": {
      const [, kycToken, staked, threshold, required] = args;
      const of = named(kycToken);
      return `Your stakes would reach ${units(staked, of)}, at or above ${units(threshold, of)}: ` +
        `from there this platform needs identity verification (level ${required}).`;
    }
    case "TokenNotAllowed":
      return `The Vault does not accept ${named(args[0])?.symbol ?? "this token"}.`;
    case "WrongEthValue": {
      const eth = { decimals: 18, symbol: "ETH" };
      return `The transaction should carry ${units(args[0], eth)} and carried ${units(args[1], eth)}.`;
    }
    case "ZeroAmount":
      return "The amount must be greater than zero.";
    case "LocksArePaused":
      return "New bets are paused by the platform's guardian; withdrawals still work.";
    case "NotGame":
      return "This game is not registered with the platform right now.";
    default:
      return null;
  }
}
