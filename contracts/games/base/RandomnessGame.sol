// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IPlayerRegistry} from "../../interfaces/IPlayerRegistry.sol";
import {IRandomnessConsumer} from "../../interfaces/IRandomnessConsumer.sol";
import {IRandomnessCoordinator} from "../../interfaces/IRandomnessCoordinator.sol";
import {IRandomnessGame} from "../../interfaces/IRandomnessGame.sol";
import {IVault} from "../../interfaces/IVault.sol";
import {IRandomnessGameErrors} from "../../interfaces/IGameErrors.sol";

/// @title RandomnessGame
/// @notice Plumbing shared by every game that asks the coordinator for words (the chance-game
/// engine {ChanceGame} and Jackpot): the Vault, the randomness coordinator and the
/// player registry they are wired to, the owner-set callback gas, the coordinator callbacks and
/// paying a stake in the same call as the bet. The oracle key is not the game's: the coordinator
/// keeps it per consumer (its governance sets and rotates it), so a request reads no key here.
///
/// A game never holds funds: stakes are Vault locks, so an ETH payment is forwarded to the Vault
/// in the same call. The owner is a TimelockController in deployment.
abstract contract RandomnessGame is IRandomnessGame, IRandomnessGameErrors, IRandomnessConsumer, Ownable {
    /// @notice The escrow every stake is locked in.
    IVault public immutable vault;
    /// @notice The only caller of the randomness callbacks.
    IRandomnessCoordinator public immutable coordinator;
    /// @notice The player registry the Vault asks before each stake is locked and tells of each
    /// counted stake's payout; the game never calls it (kept for clients and the wiring checks).
    IPlayerRegistry public immutable registry;
    /// @notice Most seconds from a randomness request until it is fulfilled or expired at the
    /// coordinator; read once from the coordinator, where it is immutable. Every Vault lock of a
    /// game outlives it, so the Vault's deadline backstop never races a pending result.
    uint64 public immutable maxFulfilDelay;

    /// @notice Gas the coordinator gives `onRandomness`.
    uint32 public callbackGasLimit;

    event CallbackGasLimitSet(uint32 callbackGasLimit);

    /// @param wiring the owner (governance: a TimelockController in deployment) and what the game is wired to
    constructor(GameWiring memory wiring) Ownable(wiring.owner) {
        if (
            address(wiring.vault) == address(0) || address(wiring.coordinator) == address(0)
                || address(wiring.registry) == address(0)
        ) {
            revert ZeroAddress();
        }
        vault = wiring.vault;
        coordinator = wiring.coordinator;
        registry = wiring.registry;
        maxFulfilDelay = wiring.coordinator.maxFulfilDelay();
        _setCallbackGasLimit(wiring.callbackGasLimit);
    }

    /// @notice Owner only: the callback gas of future requests (pending ones keep theirs).
    function setCallbackGasLimit(uint32 callbackGasLimit_) external onlyOwner {
        _setCallbackGasLimit(callbackGasLimit_);
    }

    /// @notice The oracle key this game's requests use: the coordinator's record for it (its
    /// governance sets and rotates it with `setConsumer`), zero while the game may not request.
    /// For clients; a request does not call it.
    function keyHash() external view returns (bytes32) {
        return coordinator.keyOf(address(this));
    }

    /// @dev Hook for a game that keeps copies of the callback gas where its bets read it: refresh them.
    function _callbackGasSet(uint32 callbackGasLimit_) internal virtual {}

    /// @inheritdoc IRandomnessConsumer
    /// @dev The coordinator delivers a request once (its commitment is gone before the call), and
    /// only for a request this game made.
    function onRandomness(
        uint256 requestId,
        uint256[] calldata words,
        IRandomnessCoordinator.Slash calldata slash,
        bytes32 data
    ) external {
        if (msg.sender != address(coordinator)) revert NotCoordinator(msg.sender);
        if (words.length != 0) _onRandomness(requestId, words[0], slash, data);
    }

    /// @inheritdoc IRandomnessConsumer
    function onRandomnessExpired(uint256 requestId, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        external
    {
        if (msg.sender != address(coordinator)) revert NotCoordinator(msg.sender);
        _onRandomnessExpired(requestId, slash, data);
    }

    /// @dev Settle the request `requestId` with its first random word; `slash` is the bond
    /// reservation and `data` the word the game made the request with (both checked by the
    /// coordinator against the request's commitment).
    function _onRandomness(uint256 requestId, uint256 word, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        internal
        virtual;

    /// @dev Settle the request `requestId` by the game's timeout rule (`slash` as above, already
    /// paid; `data` as above).
    function _onRandomnessExpired(uint256 requestId, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        internal
        virtual;

    /// @dev One random word for the callback gas `callbackGas`, reserving `slash` from the bond of
    /// the key the coordinator keeps for this game; `salt` names the request (never reused by
    /// this game), `data` comes back with it.
    function _requestRandomness(
        IRandomnessCoordinator.Slash memory slash,
        uint32 callbackGas,
        uint64 salt,
        bytes32 data
    ) internal returns (uint256 requestId) {
        return coordinator.requestRandomness(callbackGas, 1, slash, salt, data);
    }

    /// @dev The id of this game's request with `salt`, from the coordinator's own rule (only the
    /// rare paths ask: a refund after a failed callback and the status view, which call it anyway).
    function _requestIdOf(uint64 salt) internal view returns (uint256) {
        return coordinator.requestIdOf(address(this), salt);
    }

    /// @dev Credit `amount` to the player's Vault balance before a stake is locked: ETH from
    /// msg.value (the Vault checks it equals `amount`), ERC-20s from the player's approval to the
    /// Vault. `amount == 0`: the stake comes from the existing balance alone.
    function _deposit(address player, address token, uint256 amount) internal {
        if (amount == 0) {
            if (msg.value != 0) revert UnexpectedEth();
            return;
        }
        if (token == address(0)) {
            // slither-disable-next-line unused-return -- lock() below checks the balance, whatever was credited
            vault.depositFor{value: msg.value}(player, token, amount);
        } else {
            if (msg.value != 0) revert UnexpectedEth();
            // slither-disable-next-line unused-return -- lock() below checks the balance, whatever was credited
            vault.depositFrom(player, token, amount);
        }
    }

    /// @dev Whether the Vault still holds lock `lockId` open (not settled, not refunded by its
    /// game or by the deadline backstop).
    function _lockOpen(uint256 lockId) internal view returns (bool) {
        // slither-disable-next-line unused-return -- only whether the lock is open; its terms' hash is not needed
        (uint64 deadline,) = vault.lockOf(lockId);
        return deadline != 0;
    }

    function _setCallbackGasLimit(uint32 callbackGasLimit_) private {
        if (callbackGasLimit_ == 0) revert ZeroCallbackGas();
        callbackGasLimit = callbackGasLimit_;
        _callbackGasSet(callbackGasLimit_);
        emit CallbackGasLimitSet(callbackGasLimit_);
    }
}
