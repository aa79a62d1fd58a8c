"""Game projections (Dice, Jackpot): filled in as the game contracts land."""
