// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IKenoErrors} from "../../interfaces/IGameErrors.sol";
import {ChanceGame} from "../base/ChanceGame.sol";
import {KenoRules} from "./KenoRules.sol";

/// @title Keno
/// @notice Keno on the chance-game engine ({ChanceGame}: bets, multi-roll, the Vault lock, the
/// bonded randomness request, settlement and timeouts): pick 1..10 of the numbers 1..40, ten are
/// drawn from the word ({KenoRules}: one derivation, mirrored in Python and JS), and a roll pays
/// stake * multiplier[picks][hits] / 10_000 by the payout table the bet names.
///
/// A bet's `choice` is `abi.encode(uint32 tableId, uint64 picksMask)`, bit n - 1 of the mask
/// picking number n. Payout tables are set by governance (the owner, a timelock) under an id that
/// is immutable once added: a table can only be disabled for new bets (open bets on it settle by
/// it), and a change is a new id, so a bet's terms are fixed when it is placed. A table has a row
/// per pick count k = 1..10 of k + 1 multipliers (for 0..k hits, in bps). When a table is added,
/// the contract computes each row's return to player exactly (hypergeometric weights, integer
/// arithmetic) and refuses the table unless every row returns MIN_RTP_BPS..MAX_RTP_BPS (a house
/// edge of 2..5 %), pays more than the stake on some outcome and has no multiplier above
/// MAX_MULTIPLIER_BPS. A roll's maximum payout is its row's largest multiplier times the stake
/// (every outcome can happen), which the engine locks and reserves from the bond, and which the
/// engine (uint88 bond reservation) and the Vault (exposure cap) refuse when too large for them.
///
/// The engine's per-token `edgeBps` is unused: the table sets the house edge, so `_maxEdgeBps`
/// is 0 and the only edge governance can configure is 0.
///
/// Storage: a table is one slot of flags and two slots per row (8 multipliers of 32 bits per
/// slot); placing a bet reads the flags and its row; settling a one-roll bet reads the flags and
/// the slot its hits land on, a multi-roll bet the flags and its row once for all its rolls.
contract Keno is IKenoErrors, ChanceGame {
    /// @notice Lowest return to player of any row of a table, in bps (house edge at most 5 %).
    uint16 public constant MIN_RTP_BPS = 9_500;
    /// @notice Highest return to player of any row of a table, in bps (house edge at least 2 %).
    uint16 public constant MAX_RTP_BPS = 9_800;
    /// @notice Largest multiplier of a table, in bps: 100,000x.
    uint32 public constant MAX_MULTIPLIER_BPS = 1_000_000_000;

    /// @notice Callback gas each roll after the first adds to `callbackGasLimit`: a roll draws ten
    /// numbers, counts its hits and prices them on the row (read once per bet), measured at about
    /// 4,000 per roll with ten picks, with a margin.
    uint32 public constant ROLL_GAS = 5_000;

    uint256 private constant LANES = 8; // 32-bit multipliers per storage slot
    uint256 private constant LANE_BITS = 32;

    /// @dev `rows[2(k-1)]` holds the multipliers of k picks for 0..7 hits, `rows[2(k-1) + 1]` for
    /// 8..10 hits (32 bits each, lowest first).
    struct Table {
        bool added;
        bool enabled;
        uint256[20] rows;
    }

    mapping(uint32 tableId => Table) private _tables;

    /// @notice Governance added payout table `tableId`, enabled; `multipliers[k - 1][h]` is what
    /// k picks with h hits pay per unit staked, in bps. Its rows' RTPs are within the caps.
    event TableAdded(uint32 indexed tableId, uint32[][] multipliers);
    /// @notice Governance enabled or disabled table `tableId` for new bets (open bets settle by it).
    event TableEnabled(uint32 indexed tableId, bool enabled);

    /// @dev The arguments of {ChanceGame}'s constructor.
    constructor(GameWiring memory wiring, uint32 lockDuration_) ChanceGame(wiring, lockDuration_) {}

    // ------------------------------------------------------------------ governance (owner = timelock)

    /// @notice Owner only: add payout table `tableId` (enabled). `multipliers` has one row per pick
    /// count k = 1..10 of k + 1 multipliers in bps (for 0..k hits). Refused unless every row's exact
    /// RTP is MIN_RTP_BPS..MAX_RTP_BPS, some multiplier of every row exceeds 1x and none exceeds
    /// MAX_MULTIPLIER_BPS; an id is added once and never changes.
    function addTable(uint32 tableId, uint32[][] calldata multipliers) external onlyOwner {
        Table storage table = _tables[tableId];
        if (table.added) revert TableExists(tableId);
        if (multipliers.length != KenoRules.MAX_PICKS) revert BadTableRows(multipliers.length);
        for (uint256 k = 1; k <= KenoRules.MAX_PICKS; ++k) {
            uint32[] calldata row = multipliers[k - 1];
            _checkRow(k, row);
            (uint256 low, uint256 high) = _pack(row);
            table.rows[2 * (k - 1)] = low;
            if (high != 0) table.rows[2 * (k - 1) + 1] = high;
        }
        table.added = true;
        table.enabled = true;
        emit TableAdded(tableId, multipliers);
    }

    /// @notice Owner only: enable or disable table `tableId` for new bets. Open bets on a disabled
    /// table settle by it as placed.
    function setTableEnabled(uint32 tableId, bool enabled) external onlyOwner {
        Table storage table = _tables[tableId];
        if (!table.added) revert UnknownTable(tableId);
        table.enabled = enabled;
        emit TableEnabled(tableId, enabled);
    }

    // ------------------------------------------------------------------ views

    /// @notice Table `tableId`: whether it exists, whether new bets may use it, and its multipliers
    /// (`multipliers[k - 1][h]` for k picks and h hits, in bps; empty if it does not exist).
    function tableOf(uint32 tableId)
        external
        view
        returns (bool added, bool enabled, uint256[][] memory multipliers)
    {
        Table storage table = _tables[tableId];
        added = table.added;
        enabled = table.enabled;
        if (!added) return (added, enabled, multipliers);
        multipliers = new uint256[][](KenoRules.MAX_PICKS);
        for (uint256 k = 1; k <= KenoRules.MAX_PICKS; ++k) {
            multipliers[k - 1] = _row(table, k);
        }
    }

    /// @notice The ten numbers (1..40) a word draws, in draw order.
    function drawOf(uint256 word) external pure returns (uint256[10] memory numbers) {
        return KenoRules.drawnNumbers(word);
    }

    // ------------------------------------------------------------------ the engine's hooks

    /// @dev The row's largest payout and stake - the expected payout (rounded up); reverts
    /// BadChoice, BadPicks, UnknownTable or TableDisabled.
    function _rollTerms(uint256 stake, bytes memory choice, uint16)
        internal
        view
        override
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        (uint32 tableId,, uint256 picks) = _decode(choice);
        Table storage table = _tables[tableId];
        if (!table.added) revert UnknownTable(tableId);
        if (!table.enabled) revert TableDisabled(tableId);
        uint256[] memory row = _row(table, picks);
        maxPayout = KenoRules.payout(stake, KenoRules.maxMultiplier(row));
        // every row returns at most MAX_RTP_BPS, so the expectation never exceeds the stake
        houseEdge = stake - KenoRules.expectedPayoutUp(stake, row);
    }

    /// @dev [picksMask, stake, the row's two packed slots (the second 0 for a row of fewer than
    /// eight hit counts)]: the bet's row read once (a disabled table still settles), each roll
    /// working out only the payout its hits land on; reverts BadChoice, BadPicks or UnknownTable.
    function _prepareRolls(uint256 stake, bytes memory choice, uint16)
        internal
        view
        override
        returns (uint256[] memory prepared)
    {
        (uint32 tableId, uint256 picksMask, uint256 picks) = _decode(choice);
        Table storage table = _tables[tableId];
        if (!table.added) revert UnknownTable(tableId);
        prepared = new uint256[](4);
        prepared[0] = picksMask;
        prepared[1] = stake;
        prepared[2] = table.rows[2 * (picks - 1)];
        if (picks + 1 > LANES) prepared[3] = table.rows[2 * (picks - 1) + 1];
    }

    /// @dev The draw, then the multiplier its hits land on in the prepared row, and its payout.
    function _rollPayout(uint256[] memory prepared, uint256 word) internal pure override returns (uint256) {
        uint256 picksMask;
        uint256 stake;
        uint256 packed;
        // the four words _prepareRolls laid out, read without bounds checks (this runs every roll)
        assembly ("memory-safe") {
            picksMask := mload(add(prepared, 0x20))
            stake := mload(add(prepared, 0x40))
        }
        uint256 hits = KenoRules.hitsOf(picksMask, word);
        assembly ("memory-safe") {
            packed := mload(add(prepared, add(0x60, shl(5, lt(LANES, add(hits, 1))))))
        }
        return KenoRules.payout(stake, (packed >> ((hits % LANES) * LANE_BITS)) & type(uint32).max);
    }

    /// @dev A one-roll bet reads only the slot of the multiplier its hits land on.
    function _onlyRollPayout(uint256 stake, bytes memory choice, uint16, uint256 word)
        internal
        view
        override
        returns (uint256)
    {
        (uint32 tableId, uint256 picksMask, uint256 picks) = _decode(choice);
        Table storage table = _tables[tableId];
        if (!table.added) revert UnknownTable(tableId);
        uint256 hits = KenoRules.hitsOf(picksMask, word);
        return KenoRules.payout(stake, _multiplier(table, picks, hits));
    }

    /// @dev See ROLL_GAS.
    function _rollGas() internal pure override returns (uint32) {
        return ROLL_GAS;
    }

    /// @dev The edge comes from the table: governance can only configure an edge of 0.
    function _maxEdgeBps() internal pure override returns (uint16) {
        return 0;
    }

    // ------------------------------------------------------------------ internals

    /// @dev abi.encode(uint32, uint64) is two words; anything else (or a word out of its type's
    /// range) is refused with BadChoice rather than abi.decode's bare revert.
    function _decode(bytes memory choice) private pure returns (uint32 tableId, uint256 picksMask, uint256 picks) {
        if (choice.length != 64) revert BadChoice();
        uint256 rawTable;
        assembly ("memory-safe") {
            rawTable := mload(add(choice, 0x20))
            picksMask := mload(add(choice, 0x40))
        }
        if (rawTable > type(uint32).max || picksMask > type(uint64).max) revert BadChoice();
        tableId = uint32(rawTable);
        bool valid;
        (valid, picks) = KenoRules.picksOf(picksMask);
        if (!valid) revert BadPicks(uint64(picksMask));
    }

    /// @dev The checks of addTable for the row of k picks, in the order fairstake/rules/keno.py
    /// `check_table` reports them.
    function _checkRow(uint256 k, uint32[] calldata row) private pure {
        if (row.length != k + 1) revert BadRowLength(uint8(k), row.length);
        uint256[] memory values = new uint256[](row.length);
        for (uint256 h; h < row.length; ++h) {
            if (row[h] > MAX_MULTIPLIER_BPS) revert MultiplierAboveCap(uint8(k), uint8(h), row[h], MAX_MULTIPLIER_BPS);
            values[h] = row[h];
        }
        uint256 highest = KenoRules.maxMultiplier(values);
        if (highest <= KenoRules.BPS) revert RowPaysNoWin(uint8(k), highest);
        uint256 numerator = KenoRules.rtpNumerator(values);
        if (numerator > MAX_RTP_BPS * KenoRules.DRAWS) {
            // rounded up, so the reported figure is above the cap like the exact one
            revert RowRtpOutOfRange(uint8(k), (numerator + KenoRules.DRAWS - 1) / KenoRules.DRAWS, MIN_RTP_BPS, MAX_RTP_BPS);
        }
        if (numerator < MIN_RTP_BPS * KenoRules.DRAWS) {
            revert RowRtpOutOfRange(uint8(k), numerator / KenoRules.DRAWS, MIN_RTP_BPS, MAX_RTP_BPS);
        }
    }

    function _pack(uint32[] calldata row) private pure returns (uint256 low, uint256 high) {
        for (uint256 h; h < row.length; ++h) {
            if (h < LANES) low |= uint256(row[h]) << (h * LANE_BITS);
            else high |= uint256(row[h]) << ((h - LANES) * LANE_BITS);
        }
    }

    function _multiplier(Table storage table, uint256 picks, uint256 hits) private view returns (uint256) {
        (uint256 part, uint256 lane) = hits < LANES ? (0, hits) : (1, hits - LANES);
        return (table.rows[2 * (picks - 1) + part] >> (lane * LANE_BITS)) & type(uint32).max;
    }

    function _row(Table storage table, uint256 picks) private view returns (uint256[] memory row) {
        row = new uint256[](picks + 1);
        uint256 low = table.rows[2 * (picks - 1)];
        uint256 high = picks + 1 > LANES ? table.rows[2 * (picks - 1) + 1] : 0;
        for (uint256 h; h <= picks; ++h) {
            uint256 packed = h < LANES ? low : high;
            row[h] = (packed >> ((h % LANES) * LANE_BITS)) & type(uint32).max;
        }
    }
}
